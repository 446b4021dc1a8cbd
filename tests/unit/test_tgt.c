// SPDX-License-Identifier: MIT
/*
 * Where the boot images go: tgt_ranges_fit, the lowest aligned free range
 * of the board's RAM (the FIT's and Xen's staging), against a naive oracle
 * that tries every aligned address, and at a size where a search that
 * rescans every taken range per candidate would not finish.
 */
#include <stdlib.h>

#include "suites.h"
#include "backends/tgt.h"
#include "lib/util.h"

/* Every aligned candidate in bank order, every range per candidate. */
static bool naive_fit(const struct tgt_ranges *r, const struct m_board *b,
		      uint64_t size, uint64_t align, uint64_t *start)
{
	size_t i, j;

	for (i = 0; i < b->nram; i++) {
		uint64_t lo = b->ram[i].base, hi = lo + b->ram[i].size, c;

		for (c = tgt_align_up(lo, align); c + size <= hi; c += align) {
			for (j = 0; j < r->n; j++)
				if (r->v[j].start < c + size && r->v[j].end > c)
					break;
			if (j == r->n) {
				*start = c;
				return true;
			}
		}
	}
	return false;
}

START_TEST(fit_matches_naive)
{
	struct b_reg ram[2];
	struct m_board b = { .ram = ram };
	unsigned int seed = 12345, round;

	for (round = 0; round < 20000; round++) {
		struct tgt_ranges r = { 0 };
		uint64_t size = 0x1000 * (1 + rand_r(&seed) % 8);
		uint64_t align = 0x1000u << (rand_r(&seed) % 3), got = 0,
			 want = 0;
		int n = rand_r(&seed) % 40, k;
		bool fit, naive;

		/* Banks out of address order, as a board may list them. */
		b.nram = 1 + rand_r(&seed) % 2;
		ram[0] = (struct b_reg){ .base = 0x40000 +
						 0x1000 * (rand_r(&seed) % 4),
					 .size = 0x40000 };
		ram[1] = (struct b_reg){ .base = 0x800, .size = 0x20000 };
		for (k = 0; k < n; k++)
			tgt_ranges_add(
				&r, 0x400 * (uint64_t)(rand_r(&seed) % 400),
				0x400 * (uint64_t)(1 + rand_r(&seed) % 12));
		fit = tgt_ranges_fit(&r, &b, size, align, &got);
		naive = naive_fit(&r, &b, size, align, &want);
		ck_assert_msg(fit == naive, "round %u: fit %d, naive %d", round,
			      fit, naive);
		if (fit)
			ck_assert_msg(got == want,
				      "round %u: start 0x%llx, naive 0x%llx",
				      round, (unsigned long long)got,
				      (unsigned long long)want);
		tgt_ranges_free(&r);
	}
}
END_TEST

/*
 * 200,000 taken pages with one-page holes, listed last page first, and 8K
 * wanted: the only fit is past them all. A search that rescans every range
 * for each of the 200,000 candidates would take minutes.
 */
START_TEST(fit_many_ranges)
{
	struct b_reg ram = { .base = 0x40000000, .size = 4ull << 30 };
	struct m_board b = { .ram = &ram, .nram = 1 };
	struct tgt_ranges r = { 0 };
	uint64_t got = 0, end = ram.base + 200000ull * 0x2000;
	long i;

	for (i = 199999; i >= 0; i--)
		tgt_ranges_add(&r, ram.base + (uint64_t)i * 0x2000, 0x1000);
	ck_assert(tgt_ranges_fit(&r, &b, 0x2000, 0x1000, &got));
	ck_assert_uint_eq(got, end - 0x1000);
	ck_assert(!tgt_ranges_fit(&r, &b, 4ull << 30, 0x1000, &got));
	tgt_ranges_free(&r);
}
END_TEST

Suite *tgt_suite(void)
{
	Suite *s = suite_create("tgt");
	TCase *tc = tcase_create("ranges");

	tcase_add_test(tc, fit_matches_naive);
	tcase_add_test(tc, fit_many_ranges);
	suite_add_tcase(s, tc);
	return s;
}
