// SPDX-License-Identifier: MIT
/* The resolve stage's arithmetic: colored extents. */
#include "model/resolve.h"
#include "sph/color.h"
#include "suites.h"

#define K4 4096ULL

static colorset_t colors_of(const uint32_t *c, unsigned int n)
{
	colorset_t s = { { 0 } };
	unsigned int i;

	for (i = 0; i < n; i++)
		colorset_add(&s, c[i]);
	return s;
}

START_TEST(extent_one_color)
{
	static const uint32_t c0[] = { 0 };
	colorset_t s = colors_of(c0, 1);

	/* 16 colors: one page of color 0 every 64K; 2 pages need 64K + 4K. */
	ck_assert_uint_eq(colored_extent(0, K4, &s, 16, K4), K4);
	ck_assert_uint_eq(colored_extent(0, 2 * K4, &s, 16, K4),
			  64 * 1024 + K4);
	/* 8M of one color in 16 spans 2047 periods plus a page. */
	ck_assert_uint_eq(colored_extent(0x40000000, 8ULL << 20, &s, 16, K4),
			  2047ULL * 65536 + K4);
}
END_TEST

START_TEST(extent_unaligned_start)
{
	static const uint32_t c[] = { 1, 2 };
	colorset_t s = colors_of(c, 2);

	/* From page 2 (color 2): page 2, then 17 and 18 next period. */
	ck_assert_uint_eq(colored_extent(2 * K4, K4, &s, 16, K4), K4);
	ck_assert_uint_eq(colored_extent(2 * K4, 2 * K4, &s, 16, K4), 16 * K4);
	ck_assert_uint_eq(colored_extent(2 * K4, 3 * K4, &s, 16, K4), 17 * K4);
	/* A size that is not a page multiple still needs a whole page. */
	ck_assert_uint_eq(colored_extent(2 * K4, 100, &s, 16, K4), K4);
}
END_TEST

START_TEST(extent_all_colors_is_linear)
{
	colorset_t s = { { 0 } };
	uint32_t c;

	for (c = 0; c < 16; c++)
		colorset_add(&s, c);
	ck_assert_uint_eq(colored_extent(0x1000, 1ULL << 20, &s, 16, K4),
			  1ULL << 20);
}
END_TEST

START_TEST(extent_no_usable_color)
{
	static const uint32_t c[] = { 20 };
	colorset_t s = colors_of(c, 1);

	ck_assert_uint_eq(colored_extent(0, K4, &s, 16, K4), 0);
	ck_assert_uint_eq(sph_page_color(0x4000f000, K4, 16), 15);
	ck_assert_uint_eq(sph_page_color(0x40010000, K4, 16), 0);
	ck_assert_uint_eq(sph_color_count(1u << 20, 16, K4), 16);
	ck_assert_uint_eq(sph_color_count(0, 16, K4), 0);
}
END_TEST

Suite *resolve_suite(void)
{
	Suite *s = suite_create("resolve");
	TCase *tc = tcase_create("colors");

	tcase_add_test(tc, extent_one_color);
	tcase_add_test(tc, extent_unaligned_start);
	tcase_add_test(tc, extent_all_colors_is_linear);
	tcase_add_test(tc, extent_no_usable_color);
	suite_add_tcase(s, tc);
	return s;
}
