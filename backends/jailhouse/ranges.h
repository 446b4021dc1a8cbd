/* SPDX-License-Identifier: MIT */
/*
 * Sets of address ranges [start, end): the Jailhouse backend and importer
 * both compute what the root cell keeps as RAM minus what others hold.
 */
#ifndef SPHC_RANGES_H
#define SPHC_RANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct range {
	uint64_t start, end;
};

struct ranges {
	struct range *v;
	size_t n, cap;
};

/* ranges_add - append [start, end); empty ranges are ignored. */
void ranges_add(struct ranges *r, uint64_t start, uint64_t end);
/* ranges_merge - sort and merge touching or overlapping ranges. */
void ranges_merge(struct ranges *r);
/* ranges_subtract - @r minus @holes (both merged), into @out. */
void ranges_subtract(const struct ranges *r, const struct ranges *holes,
		     struct ranges *out);
/* ranges_cover - whether merged @r covers all of [start, end). */
bool ranges_cover(const struct ranges *r, uint64_t start, uint64_t end);
/* ranges_touch - whether any range of @r overlaps [start, end). */
bool ranges_touch(const struct ranges *r, uint64_t start, uint64_t end);

#endif
