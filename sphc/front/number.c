// SPDX-License-Identifier: MIT
/* Numbers as users write them; see number.h for the accepted forms. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "front/number.h"

/* Each digit character's value + 1 (0: not a digit): one load a digit. */
static const unsigned char digit_values[256] = {
	['0'] = 1,  ['1'] = 2,	['2'] = 3,  ['3'] = 4,	['4'] = 5,  ['5'] = 6,
	['6'] = 7,  ['7'] = 8,	['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
	['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/*
 * Digits in @base with single '_' separators between them. A big system
 * has millions of digits: no division and no call per digit.
 */
static enum num_err parse_digits(const char *s, size_t len, unsigned int base,
				 uint64_t *out)
{
	uint64_t v = 0, cutoff = UINT64_MAX / base;
	unsigned int cutlim = (unsigned int)(UINT64_MAX % base), d;
	bool overflow = false, last_digit = false;
	/* Up to 16 hex, 19 decimal or 64 binary digits cannot overflow. */
	bool may_overflow = len > (base == 16 ? 16 : base == 10 ? 19 : 64);
	size_t i;

	if (len == 0)
		return NUM_SYNTAX;
	for (i = 0; i < len; i++) {
		d = digit_values[(unsigned char)s[i]];
		if (d - 1 < base) { /* 0 (not a digit) wraps around */
			d--;
			if (may_overflow)
				overflow |= v > cutoff ||
					    (v == cutoff && d > cutlim);
			v = v * base + d;
			last_digit = true;
			continue;
		}
		if (s[i] != '_' || !last_digit || i + 1 == len)
			return NUM_SYNTAX;
		last_digit = false;
	}
	if (overflow)
		return NUM_OVERFLOW;
	*out = v;
	return NUM_OK;
}

enum num_err num_parse_u64(const char *s, size_t len, uint64_t *out)
{
	if (len == 0)
		return NUM_EMPTY;
	if (s[0] == '-')
		return len > 1 ? NUM_NEGATIVE : NUM_SYNTAX;
	if (s[0] == '+')
		return NUM_SYNTAX;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_digits(s + 2, len - 2, 16, out);
	if (len > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		return parse_digits(s + 2, len - 2, 2, out);
	return parse_digits(s, len, 10, out);
}

enum num_err num_parse_size(const char *s, size_t len, uint64_t *out)
{
	unsigned int shift;
	enum num_err err;
	uint64_t v;

	if (len == 0)
		return NUM_EMPTY;
	switch (s[len - 1]) {
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	default:
		return num_parse_u64(s, len, out);
	}
	/* A suffix applies to decimals only: 0x10M is more likely a typo. */
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return NUM_SYNTAX;
	err = num_parse_u64(s, len - 1, &v);
	if (err)
		return err == NUM_EMPTY ? NUM_SYNTAX : err;
	if (v > (UINT64_MAX >> shift))
		return NUM_OVERFLOW;
	*out = v << shift;
	return NUM_OK;
}

enum num_err num_parse_range(const char *s, size_t len, uint64_t *lo,
			     uint64_t *hi)
{
	size_t dash;
	enum num_err err;

	if (len == 0)
		return NUM_EMPTY;
	if (s[0] == '-')
		return NUM_NEGATIVE;
	for (dash = 0; dash < len && s[dash] != '-'; dash++)
		;
	err = num_parse_u64(s, dash, lo);
	if (err)
		return err == NUM_EMPTY ? NUM_SYNTAX : err;
	if (dash == len) {
		*hi = *lo;
		return NUM_OK;
	}
	err = num_parse_u64(s + dash + 1, len - dash - 1, hi);
	if (err)
		return err == NUM_EMPTY || err == NUM_NEGATIVE ? NUM_SYNTAX
							       : err;
	return *hi < *lo ? NUM_RANGE_ORDER : NUM_OK;
}

const char *num_strerror(enum num_err err)
{
	switch (err) {
	case NUM_OK:
		return "no error";
	case NUM_EMPTY:
		return "empty number";
	case NUM_SYNTAX:
		return "not a number";
	case NUM_OVERFLOW:
		return "does not fit in 64 bits";
	case NUM_NEGATIVE:
		return "must not be negative";
	case NUM_RANGE_ORDER:
		return "range ends before it starts";
	}
	return "unknown error";
}

void num_format_size(uint64_t v, char *buf, size_t buflen)
{
	static const struct {
		unsigned int shift;
		char suffix;
	} units[] = { { 30, 'G' }, { 20, 'M' }, { 10, 'K' } };
	unsigned int i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		uint64_t unit = (uint64_t)1 << units[i].shift;

		if (v && v % unit == 0) {
			snprintf(buf, buflen, "%" PRIu64 "%c", v / unit,
				 units[i].suffix);
			return;
		}
	}
	if (v < 1024)
		snprintf(buf, buflen, "%" PRIu64, v);
	else
		snprintf(buf, buflen, "0x%" PRIx64, v);
}
