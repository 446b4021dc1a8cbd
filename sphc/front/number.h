/* SPDX-License-Identifier: MIT */
/*
 * Numbers as users write them: 4096, 0x4000_0000, 0b1010, 256K, 8M, 1G,
 * and inclusive ranges such as 3-7.
 */
#ifndef SPHC_NUMBER_H
#define SPHC_NUMBER_H

#include <stddef.h>
#include <stdint.h>

enum num_err {
	NUM_OK = 0,
	NUM_EMPTY = -1,	      /* nothing to parse */
	NUM_SYNTAX = -2,      /* not a number of the accepted forms */
	NUM_OVERFLOW = -3,    /* does not fit in 64 bits */
	NUM_NEGATIVE = -4,    /* starts with '-' */
	NUM_RANGE_ORDER = -5, /* range whose end is below its start */
};

/*
 * num_parse_u64 - parse an integer: decimal, 0x hex or 0b binary, with '_'
 * between digits.
 */
enum num_err num_parse_u64(const char *s, size_t len, uint64_t *out);

/*
 * num_parse_size - like num_parse_u64, but a decimal may end with K, M or G
 * (binary multiples).
 */
enum num_err num_parse_size(const char *s, size_t len, uint64_t *out);

/* num_parse_range - "A-B" (A <= B) or a single integer A (then B = A). */
enum num_err num_parse_range(const char *s, size_t len, uint64_t *lo,
			     uint64_t *hi);

const char *num_strerror(enum num_err err);

/* num_format_size - "256M", "4K", "0x1234": the shortest exact form. */
void num_format_size(uint64_t v, char *buf, size_t buflen);

#endif
