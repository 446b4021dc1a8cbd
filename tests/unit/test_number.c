// SPDX-License-Identifier: MIT
/* The number parser: every accepted form and every rejection. */
#include <stdint.h>
#include <string.h>

#include "front/number.h"
#include "suites.h"

static enum num_err size(const char *s, uint64_t *v)
{
	return num_parse_size(s, strlen(s), v);
}

static enum num_err u64(const char *s, uint64_t *v)
{
	return num_parse_u64(s, strlen(s), v);
}

START_TEST(decimal_hex_binary)
{
	uint64_t v;

	ck_assert_int_eq(u64("4096", &v), NUM_OK);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(u64("0x4000_0000", &v), NUM_OK);
	ck_assert_uint_eq(v, 0x40000000);
	ck_assert_int_eq(u64("0XfF", &v), NUM_OK);
	ck_assert_uint_eq(v, 255);
	ck_assert_int_eq(u64("0b1010", &v), NUM_OK);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_eq(u64("1_000_000", &v), NUM_OK);
	ck_assert_uint_eq(v, 1000000);
	ck_assert_int_eq(u64("0", &v), NUM_OK);
	ck_assert_uint_eq(v, 0);
}
END_TEST

START_TEST(limits_and_overflow)
{
	uint64_t v;

	ck_assert_int_eq(u64("18446744073709551615", &v), NUM_OK);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(u64("18446744073709551616", &v), NUM_OVERFLOW);
	ck_assert_int_eq(u64("0xFFFF_FFFF_FFFF_FFFF", &v), NUM_OK);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(u64("0x1_0000_0000_0000_0000", &v), NUM_OVERFLOW);
	ck_assert_int_eq(size("16G", &v), NUM_OK);
	ck_assert_uint_eq(v, 16ULL << 30);
	ck_assert_int_eq(size("17179869184G", &v), NUM_OVERFLOW);
	ck_assert_int_eq(size("99999999999999999999K", &v), NUM_OVERFLOW);
}
END_TEST

START_TEST(sizes)
{
	uint64_t v;

	ck_assert_int_eq(size("4K", &v), NUM_OK);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(size("256M", &v), NUM_OK);
	ck_assert_uint_eq(v, 256ULL << 20);
	ck_assert_int_eq(size("1G", &v), NUM_OK);
	ck_assert_uint_eq(v, 1ULL << 30);
	ck_assert_int_eq(size("1_024K", &v), NUM_OK);
	ck_assert_uint_eq(v, 1ULL << 20);
	ck_assert_int_eq(size("0x1000", &v), NUM_OK);
	ck_assert_uint_eq(v, 4096);
}
END_TEST

START_TEST(rejections)
{
	uint64_t v;

	ck_assert_int_eq(u64("", &v), NUM_EMPTY);
	ck_assert_int_eq(u64("-5", &v), NUM_NEGATIVE);
	ck_assert_int_eq(size("-5M", &v), NUM_NEGATIVE);
	ck_assert_int_eq(u64("+5", &v), NUM_SYNTAX);
	ck_assert_int_eq(u64("12a", &v), NUM_SYNTAX);
	ck_assert_int_eq(u64("0x", &v), NUM_SYNTAX);
	ck_assert_int_eq(u64("0b102", &v), NUM_SYNTAX);
	ck_assert_int_eq(u64("_1", &v), NUM_SYNTAX);
	ck_assert_int_eq(u64("1_", &v), NUM_SYNTAX);
	ck_assert_int_eq(u64("1__0", &v), NUM_SYNTAX);
	ck_assert_int_eq(size("M", &v), NUM_SYNTAX);
	ck_assert_int_eq(size("0x10M", &v), NUM_SYNTAX);
	ck_assert_int_eq(size("4k", &v), NUM_SYNTAX);
	ck_assert_int_eq(size("1.5M", &v), NUM_SYNTAX);
}
END_TEST

START_TEST(ranges)
{
	uint64_t lo, hi;

	ck_assert_int_eq(num_parse_range("3-7", 3, &lo, &hi), NUM_OK);
	ck_assert_uint_eq(lo, 3);
	ck_assert_uint_eq(hi, 7);
	ck_assert_int_eq(num_parse_range("5", 1, &lo, &hi), NUM_OK);
	ck_assert_uint_eq(lo, 5);
	ck_assert_uint_eq(hi, 5);
	ck_assert_int_eq(num_parse_range("0x8-0xF", 7, &lo, &hi), NUM_OK);
	ck_assert_uint_eq(hi, 15);
	ck_assert_int_eq(num_parse_range("7-3", 3, &lo, &hi), NUM_RANGE_ORDER);
	ck_assert_int_eq(num_parse_range("3-", 2, &lo, &hi), NUM_SYNTAX);
	ck_assert_int_eq(num_parse_range("-3", 2, &lo, &hi), NUM_NEGATIVE);
	ck_assert_int_eq(num_parse_range("3--4", 4, &lo, &hi), NUM_SYNTAX);
}
END_TEST

START_TEST(format_sizes)
{
	char buf[32];

	num_format_size(256ULL << 20, buf, sizeof(buf));
	ck_assert_str_eq(buf, "256M");
	num_format_size(2ULL << 30, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2G");
	num_format_size(4096, buf, sizeof(buf));
	ck_assert_str_eq(buf, "4K");
	num_format_size(0x1234, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0x1234");
	num_format_size(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0");
}
END_TEST

Suite *number_suite(void)
{
	Suite *s = suite_create("number");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, decimal_hex_binary);
	tcase_add_test(tc, limits_and_overflow);
	tcase_add_test(tc, sizes);
	tcase_add_test(tc, rejections);
	tcase_add_test(tc, ranges);
	tcase_add_test(tc, format_sizes);
	suite_add_tcase(s, tc);
	return s;
}
