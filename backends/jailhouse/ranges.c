// SPDX-License-Identifier: MIT
#include <stdlib.h>

#include "backends/jailhouse/ranges.h"
#include "lib/util.h"

void ranges_add(struct ranges *r, uint64_t start, uint64_t end)
{
	if (end <= start)
		return;
	VEC_RESERVE(r->v, r->n, r->cap);
	r->v[r->n++] = (struct range){ start, end };
}

static int range_cmp(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

void ranges_merge(struct ranges *r)
{
	size_t i, n = 0;

	if (!r->n)
		return;
	qsort(r->v, r->n, sizeof(*r->v), range_cmp);
	for (i = 1; i < r->n; i++) {
		if (r->v[i].start <= r->v[n].end) {
			if (r->v[i].end > r->v[n].end)
				r->v[n].end = r->v[i].end;
		} else {
			r->v[++n] = r->v[i];
		}
	}
	r->n = n + 1;
}

/* @r minus @holes (both merged), into @out. */
void ranges_subtract(const struct ranges *r, const struct ranges *holes,
		     struct ranges *out)
{
	size_t i, h;

	for (i = 0; i < r->n; i++) {
		uint64_t at = r->v[i].start, end = r->v[i].end;

		for (h = 0; h < holes->n && at < end; h++) {
			if (holes->v[h].end <= at || holes->v[h].start >= end)
				continue;
			ranges_add(out, at, holes->v[h].start);
			at = holes->v[h].end;
		}
		ranges_add(out, at, end);
	}
}

bool ranges_cover(const struct ranges *r, uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (start >= r->v[i].start && end <= r->v[i].end)
			return true;
	return false;
}

bool ranges_touch(const struct ranges *r, uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (start < r->v[i].end && end > r->v[i].start)
			return true;
	return false;
}
