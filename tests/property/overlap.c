// SPDX-License-Identifier: MIT
/*
 * Property test of the physical overlap rules (memory-overlap,
 * memory-on-hypervisor, shared-overlap) against a naive oracle.
 *
 *   prop-overlap BOARD.yaml [SYSTEMS [SEED]]
 *
 * A seeded PRNG writes random systems (2-6 cells, some colored with random
 * color sets, 1-6 regions each, 0-2 shared regions, the hypervisor's memory;
 * every item with an explicit base, packed into a window small enough that
 * overlaps are common; a quarter of the uncolored ones with edges that are
 * not page-aligned), each to a temporary file that input_load() checks on
 * tests/property/board.yaml (16 colors of 4K pages). The oracle, written
 * here from the model alone, gives every item its pages and its extent: an
 * uncolored item takes every page of [base, base + size); a colored one the
 * first size / 4K pages from base whose color (page number mod 16) is in its
 * set, and its extent runs from base to the end of the last of them. Items
 * of different owners (the hypervisor and each shared region are owners of
 * their own), and two regions of one cell, conflict when
 *   - both are colored and some page is in both (the colors intersect and
 *     the spans meet on a page of a common color);
 *   - otherwise, when their extents intersect: an uncolored item owns every
 *     page of its range, and a colored item's extent is not for uncolored
 *     use (as resolve.h places them: ranges are shared by disjoint colors).
 *
 * The checker reports an overlap at one side only, once per item and kind of
 * partner (another region of the item's own cell counting as a kind of its
 * own, OWN): memory-overlap (cell vs other cell, or own region) at either,
 * memory-on-hypervisor at the cell, shared-overlap at the shared region.
 * Agreement, per system:
 *   1. every overlap diagnostic is sound: its subject (primary location)
 *      and partner (its note) are items that conflict, of the kinds its rule
 *      is for, reported on the side the rule names;
 *   2. at most one diagnostic per item and kind of partner;
 *   3. between kinds, exact: an item is reported against a kind iff it
 *      conflicts with some item of that kind;
 *   4. within a kind (cell/cell, shared/shared, and own regions): of every
 *      conflicting pair, at least one item is reported against that kind.
 * (Naming every conflicting item is not the contract: the sweep reports the
 * later item of a pair, against its furthest-reaching partner.)
 *
 * On a disagreement it prints the seed of the system and keeps its file.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag/diag.h"
#include "check/input.h"

#define PAGE 4096ULL
#define NCOLORS 16
#define RAM_BASE 0x40000000ULL
#define WINDOW_MAX 2048 /* pages where items start */
#define MAX_PAGES 40	/* pages per item */
/* The furthest page an item reaches: one color, MAX_PAGES periods. */
#define SPAN_PAGES (WINDOW_MAX + MAX_PAGES * NCOLORS + NCOLORS)
#define WORDS ((SPAN_PAGES + 63) / 64)
#define MAX_ITEMS 64

enum kind { K_HYP, K_CELL, K_SHARED, K_N };

static const char *const kind_names[K_N] = { "hypervisor", "cell", "shared" };

struct item {
	enum kind kind;
	int owner;     /* cell index; unique for hyp and shared */
	uint32_t line; /* where it is written in the system file */
	uint64_t base, size;
	uint32_t colors;       /* bit c: color c; 0: uncolored */
	uint64_t pages[WORDS]; /* bit p: page RAM_BASE / 4K + p */
	uint64_t first, end;   /* extent, in bytes */
	unsigned int reported; /* bit t: reported against kind t, or OWN */
};

struct system {
	struct item v[MAX_ITEMS];
	int n;
};

/* --- PRNG (splitmix64) ------------------------------------------------ */

static uint64_t rng;

static uint64_t next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int below(unsigned int n)
{
	return (unsigned int)(next() % n);
}

/* --- the oracle --------------------------------------------------------- */

static void give_pages(struct item *it)
{
	uint64_t page = it->base / PAGE, need = it->size / PAGE;
	uint64_t first = RAM_BASE / PAGE, p;

	memset(it->pages, 0, sizeof(it->pages));
	it->first = it->base;
	it->end = it->base + it->size;
	if (!it->colors)
		return; /* only colored pages are compared page by page */
	for (p = page; need; p++) {
		if (!(it->colors >> (p % NCOLORS) & 1))
			continue;
		it->pages[(p - first) / 64] |= 1ULL << ((p - first) % 64);
		need--;
		it->end = (p + 1) * PAGE;
	}
}

/* The partner kind of @b for @a: a region of @a's own cell is OWN. */
#define OWN K_N
static unsigned int partner(const struct item *a, const struct item *b)
{
	return a->kind == K_CELL && b->kind == K_CELL && a->owner == b->owner
		       ? OWN
		       : b->kind;
}

static bool conflict(const struct item *a, const struct item *b)
{
	int w;

	if (a == b ||
	    (a->kind != K_CELL && a->kind == b->kind && a->owner == b->owner))
		return false;
	if (!a->colors || !b->colors)
		return a->first < b->end && b->first < a->end;
	for (w = 0; w < WORDS; w++)
		if (a->pages[w] & b->pages[w])
			return true;
	return false;
}

/* The rule for @a against @b when reported at @a; NULL if not at @a. */
static const char *rule_at(enum kind a, enum kind b)
{
	if (a == K_CELL && b == K_CELL)
		return "memory-overlap";
	if (a == K_CELL && b == K_HYP)
		return "memory-on-hypervisor";
	if (a == K_SHARED)
		return "shared-overlap";
	return NULL;
}

/* --- generating a system ------------------------------------------------- */

static void write_colors(FILE *f, uint32_t set)
{
	int c, first = 1, lo;

	fputs("    colors: [", f);
	for (c = 0; c < NCOLORS; c++) {
		if (!(set >> c & 1))
			continue;
		for (lo = c; c + 1 < NCOLORS && set >> (c + 1) & 1; c++)
			;
		if (lo == c)
			fprintf(f, "%s%d", first ? "" : ", ", c);
		else
			fprintf(f, "%s%d-%d", first ? "" : ", ", lo, c);
		first = 0;
	}
	fputs("]\n", f);
}

static struct item *add(struct system *s, enum kind k, int owner,
			uint32_t window, uint32_t colors)
{
	struct item *it = &s->v[s->n++];

	it->kind = k;
	it->owner = owner;
	it->colors = colors;
	it->base = RAM_BASE + below(window) * PAGE;
	it->size = (1 + below(MAX_PAGES)) * PAGE;
	if (!colors && !below(4)) {
		/*
		 * Unaligned (memory-alignment says so): edges a byte apart
		 * from page edges are common, so are overlaps of one byte.
		 */
		static const uint64_t nudge[] = { 0, 1, 2, PAGE / 2, PAGE - 1 };

		it->base += nudge[below(5)];
		it->size -= nudge[below(5)];
	}
	it->reported = 0;
	give_pages(it);
	return it;
}

/* Write a random system to @f; its items, with their lines, into @s. */
static void generate(FILE *f, struct system *s)
{
	uint32_t window = 16 << below(8); /* 16 .. 2048 pages */
	int ncells = 2 + below(5), nshared = below(3), i, j, nregions;
	uint32_t line = 1, colors;
	struct item *it;

	s->n = 0;
	fprintf(f, "sphc: 1\nname: prop\nhypervisor:\n");
	line += 3;
	it = add(s, K_HYP, -1, window, 0);
	it->line = line++;
	fprintf(f, "  memory: { base: 0x%" PRIx64 ", size: 0x%" PRIx64 " }\n",
		it->base, it->size);
	fprintf(f, "cells:\n");
	line++;
	for (i = 0; i < ncells; i++) {
		colors = below(2) ? (uint32_t)next() & 0xffff : 0;
		fprintf(f, "  - name: c%d\n    cpus: [%d]\n", i, i);
		line += 2;
		if (colors) {
			write_colors(f, colors);
			line++;
		}
		fprintf(f, "    memory:\n");
		line++;
		nregions = 1 + below(6);
		for (j = 0; j < nregions; j++) {
			it = add(s, K_CELL, i, window, colors);
			it->line = line++;
			fprintf(f,
				"      - { base: 0x%" PRIx64
				", size: 0x%" PRIx64 " }\n",
				it->base, it->size);
		}
	}
	if (nshared) {
		fprintf(f, "shared:\n");
		line++;
	}
	for (i = 0; i < nshared; i++) {
		it = add(s, K_SHARED, 1000 + i, window, 0);
		it->line = line++;
		fprintf(f,
			"  - { name: s%d, base: 0x%" PRIx64 ", size: 0x%" PRIx64
			", access: { c0: rw } }\n",
			i, it->base, it->size);
	}
}

/* --- comparing --------------------------------------------------------- */

static struct item *item_at(struct system *s, const struct loc *l,
			    const char *path)
{
	int i;

	if (!l->src || strcmp(l->src->path, path))
		return NULL;
	for (i = 0; i < s->n; i++)
		if (s->v[i].line == l->line)
			return &s->v[i];
	return NULL;
}

static bool is_overlap_rule(const char *rule)
{
	return !strcmp(rule, "memory-overlap") ||
	       !strcmp(rule, "memory-on-hypervisor") ||
	       !strcmp(rule, "shared-overlap");
}

static void describe(const struct item *it, char *buf, size_t len)
{
	snprintf(buf, len, "%s item at line %u [0x%" PRIx64 "+0x%" PRIx64 ")%s",
		 kind_names[it->kind], it->line, it->base, it->size,
		 it->colors ? " colored" : "");
}

/* Compare; print the first problem and return false on a disagreement. */
static bool agree(struct system *s, const struct diag_list *dl,
		  const char *path, unsigned long *nreports)
{
	char a[128], b[128];
	int i, j, t;

	for (size_t k = 0; k < dl->n; k++) {
		const struct diag *d = &dl->v[k];
		struct item *x, *y;

		if (!is_overlap_rule(d->rule))
			continue;
		x = item_at(s, &d->loc, path);
		y = d->nnotes ? item_at(s, &d->notes[0].loc, path) : NULL;
		if (!x || !y) {
			printf("  %s diagnostic at line %u names no item: %s\n",
			       d->rule, d->loc.line, d->msg);
			return false;
		}
		describe(x, a, sizeof(a));
		describe(y, b, sizeof(b));
		if (!rule_at(x->kind, y->kind) ||
		    strcmp(rule_at(x->kind, y->kind), d->rule)) {
			printf("  wrong rule %s for %s against %s\n", d->rule,
			       a, b);
			return false;
		}
		if (!conflict(x, y)) {
			printf("  false positive: %s and %s do not conflict: "
			       "%s\n",
			       a, b, d->msg);
			return false;
		}
		if (x->reported >> partner(x, y) & 1) {
			printf("  %s reported twice against a %s item\n", a,
			       partner(x, y) == OWN ? "own"
						    : kind_names[y->kind]);
			return false;
		}
		x->reported |= 1u << partner(x, y);
		(*nreports)++;
	}
	for (i = 0; i < s->n; i++) {
		struct item *x = &s->v[i];

		for (t = 0; t < K_N; t++) {
			bool any = false;

			if (t == (int)x->kind || !rule_at(x->kind, t))
				continue;
			for (j = 0; j < s->n && !any; j++)
				any = (int)s->v[j].kind == t &&
				      conflict(x, &s->v[j]);
			if (any != (bool)(x->reported >> t & 1)) {
				describe(x, a, sizeof(a));
				printf("  %s: %s against a %s item\n", a,
				       any ? "conflict not reported"
					   : "reported without a conflict",
				       kind_names[t]);
				return false;
			}
		}
		for (j = i + 1; j < s->n; j++) {
			struct item *y = &s->v[j];

			if (x->kind != y->kind || !rule_at(x->kind, y->kind) ||
			    !conflict(x, y) ||
			    x->reported >> partner(x, y) & 1 ||
			    y->reported >> partner(y, x) & 1)
				continue;
			describe(x, a, sizeof(a));
			describe(y, b, sizeof(b));
			printf("  conflict not reported: %s and %s\n", a, b);
			return false;
		}
	}
	return true;
}

int main(int argc, char **argv)
{
	unsigned long systems = argc > 2 ? strtoul(argv[2], NULL, 0) : 3000;
	uint64_t seed0 = argc > 3 ? strtoull(argv[3], NULL, 0) : 1;
	unsigned long i, reports = 0, failed = 0, conflicts = 0;
	static struct system s;
	char path[64];
	clock_t t0 = clock();

	if (argc < 2) {
		fprintf(stderr,
			"usage: prop-overlap BOARD.yaml [SYSTEMS [SEED]]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/tmp/sphc-prop-%d.yaml", (int)getpid());
	for (i = 0; i < systems; i++) {
		uint64_t seed = seed0 + i;
		struct sphc_input in;
		struct diag_list dl;
		FILE *f = fopen(path, "w");
		int x, y;

		if (!f) {
			perror(path);
			return 2;
		}
		rng = seed;
		generate(f, &s);
		fclose(f);
		for (x = 0; x < s.n; x++)
			for (y = x + 1; y < s.n; y++)
				conflicts += conflict(&s.v[x], &s.v[y]);
		diag_init(&dl);
		if (input_load(&in, path, argv[1], 0, &dl) == SPHC_FAILED) {
			printf("FAIL: seed %" PRIu64 ": input_load failed\n",
			       seed);
			return 2;
		}
		if (!agree(&s, &dl, path, &reports)) {
			char keep[96];

			snprintf(keep, sizeof(keep),
				 "/tmp/sphc-prop-seed-%" PRIu64 ".yaml", seed);
			rename(path, keep);
			printf("FAIL: seed %" PRIu64 ", system kept in %s "
			       "(sphc check --board %s %s)\n",
			       seed, keep, argv[1], keep);
			failed++;
		}
		input_free(&in);
		diag_free(&dl);
		if (failed >= 5) {
			i++;
			break;
		}
	}
	unlink(path);
	printf("property: %lu systems (seeds %" PRIu64 "..%" PRIu64 "), %lu "
	       "conflicting pairs, %lu overlap diagnostics, %.1f s\n",
	       i, seed0, seed0 + i - 1, conflicts, reports,
	       (double)(clock() - t0) / CLOCKS_PER_SEC);
	printf("property: %lu passed, %lu failed\n", i - failed, failed);
	return failed ? 1 : 0;
}
