// SPDX-License-Identifier: MIT
/*
 * The physical overlap sweep (check/mem.c) against a pairwise reference on
 * random placements: same findings, each item at most once per kind of
 * partner.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "check/internal.h"
#include "suites.h"
#include "lib/util.h"

#define PAGE 4096ULL
#define NCOLORS 16
#define MAX_ITEMS 64

/* K_OWN: a partner that is another region of the item's own cell. */
enum { K_HYP, K_CELL, K_SHARED, K_DEVICE, K_OWN, K_N };

/* One item as the reference sees it. */
struct ref_item {
	uint64_t start, end;
	const colorset_t *colors;
	int kind, owner, sub;
	uint32_t line;
};

struct fixture {
	struct source src;
	struct ynode nodes[MAX_ITEMS + 1];
	struct m_board board;
	struct b_reg ram;
	struct b_device devices[4];
	struct b_reg dev_regs[4];
	struct m_system sys;
	struct m_cell cells[4];
	struct m_region regions[4][8];
	struct m_shared shared[4];
	struct ref_item items[MAX_ITEMS];
	int n;
};

static uint64_t rnd(uint64_t n)
{
	return (uint64_t)rand() % n;
}

static const struct ynode *node_for(struct fixture *f, int i)
{
	struct ynode *n = &f->nodes[i];

	n->kind = YNODE_SCALAR;
	n->line = (uint32_t)i + 1;
	n->col = 1;
	n->str = (char *)"x";
	return n;
}

static void add(struct fixture *f, uint64_t start, uint64_t end,
		const colorset_t *colors, int kind, int owner, int sub)
{
	f->items[f->n] = (struct ref_item){
		start, end, colors, kind, owner, sub, (uint32_t)f->n + 1
	};
	f->n++;
}

static void place(struct m_place *p, uint64_t pa, uint64_t span, bool colored)
{
	p->pa = pa;
	p->span = span;
	p->ipa = pa;
	p->colored = colored;
	p->placed = true;
}

static void build(struct fixture *f)
{
	size_t i, j;
	uint64_t pa, span;

	memset(f, 0, sizeof(*f));
	f->src.path = (char *)"t";
	f->sys.root = node_for(f, MAX_ITEMS);
	f->board.name = "b";
	f->board.page_size = PAGE;
	f->board.llc_size = 1 << 20;
	f->board.llc_ways = 16;
	f->ram = (struct b_reg){ "ram", 0, 1ULL << 30, NULL };
	f->board.ram = &f->ram;
	f->board.nram = 1;
	f->board.ndevices = 1 + rnd(3);
	f->board.devices = f->devices;
	for (i = 0; i < f->board.ndevices; i++) {
		pa = rnd(256) * PAGE;
		f->dev_regs[i] = (struct b_reg){ NULL, pa, (1 + rnd(8)) * PAGE,
						 node_for(f, f->n) };
		f->devices[i].name = "d";
		f->devices[i].regs = &f->dev_regs[i];
		f->devices[i].nregs = 1;
		add(f, pa, pa + f->dev_regs[i].size, NULL, K_DEVICE, (int)i, 0);
	}
	/* The GIC stays out of the way (size 0). */
	span = (1 + rnd(16)) * PAGE;
	pa = rnd(256) * PAGE;
	f->sys.hyp.memory.size = span;
	f->sys.hyp.memory.node = node_for(f, f->n);
	place(&f->sys.hyp.memory.place, pa, span, false);
	add(f, pa, pa + span, NULL, K_HYP, 0, 0);
	f->sys.ncells = 1 + rnd(4);
	f->sys.cells = f->cells;
	for (i = 0; i < f->sys.ncells; i++) {
		struct m_cell *c = &f->cells[i];
		bool colored = rnd(2);

		c->name = "c";
		c->regions = f->regions[i];
		c->nregions = rnd(8);
		if (colored)
			do
				colorset_add(&c->colorset,
					     (uint32_t)rnd(NCOLORS));
			while (rnd(3));
		for (j = 0; j < c->nregions; j++) {
			span = (1 + rnd(40)) * PAGE;
			pa = rnd(256) * PAGE;
			c->regions[j].size = span;
			c->regions[j].node = node_for(f, f->n);
			place(&c->regions[j].place, pa, span, colored);
			add(f, pa, pa + span, colored ? &c->colorset : NULL,
			    K_CELL, (int)i, (int)j);
		}
	}
	f->sys.nshared = rnd(4);
	f->sys.shared = f->shared;
	for (i = 0; i < f->sys.nshared; i++) {
		span = (1 + rnd(8)) * PAGE;
		pa = rnd(256) * PAGE;
		f->shared[i].name = "s";
		f->shared[i].size = span;
		f->shared[i].node = node_for(f, f->n);
		place(&f->shared[i].place, pa, span, false);
		add(f, pa, pa + span, NULL, K_SHARED, (int)i, 0);
	}
}

/* The sweep's order: address, then as added (kind, owner, index). */
static int before(const struct ref_item *x, const struct ref_item *y)
{
	if (x->start != y->start)
		return x->start < y->start;
	if (x->kind != y->kind)
		return x->kind < y->kind;
	if (x->owner != y->owner)
		return x->owner < y->owner;
	return x->sub < y->sub;
}

static bool collide(const struct ref_item *x, const struct ref_item *y)
{
	uint64_t lo = x->start > y->start ? x->start : y->start;
	uint64_t hi = x->end < y->end ? x->end : y->end, p;

	if (lo >= hi)
		return false;
	if (!x->colors || !y->colors)
		return true;
	for (p = lo - lo % PAGE; p < hi; p += PAGE) {
		uint32_t c = (uint32_t)(p / PAGE % NCOLORS);

		if (colorset_has(x->colors, c) && colorset_has(y->colors, c))
			return true;
	}
	return false;
}

/* Whether an item of kind @k is reported against a partner of kind @t. */
static bool reported_side(int k, int t)
{
	static const bool rule[4][4] = {
		[K_HYP] = { [K_DEVICE] = true },
		[K_CELL] = { [K_HYP] = true,
			     [K_CELL] = true,
			     [K_DEVICE] = true },
		[K_SHARED] = { true, true, true, true },
	};

	return rule[k][t];
}

static int partner_kind(const char *msg)
{
	const char *o = strstr(msg, " overlaps ");

	ck_assert_ptr_nonnull(o);
	o += strlen(" overlaps ");
	if (!strncmp(o, "other memory of the same cell", 29))
		return K_OWN;
	if (!strncmp(o, "cell '", 6))
		return K_CELL;
	if (!strncmp(o, "the hypervisor", 14))
		return K_HYP;
	if (!strncmp(o, "shared region", 13))
		return K_SHARED;
	return K_DEVICE;
}

START_TEST(sweep_matches_pairwise)
{
	static struct fixture f;
	struct check_ctx c;
	struct diag_list dl;
	bool want[MAX_ITEMS][K_N], got[MAX_ITEMS][K_N];
	int round, i, j, t;
	size_t k;

	srand(1);
	for (round = 0; round < 3000; round++) {
		build(&f);
		memset(want, 0, sizeof(want));
		memset(got, 0, sizeof(got));
		for (i = 0; i < f.n; i++)
			for (j = 0; j < f.n; j++) {
				const struct ref_item *x = &f.items[i];
				const struct ref_item *y = &f.items[j];

				if (i == j ||
				    !reported_side(x->kind, y->kind) ||
				    !collide(x, y))
					continue;
				/* One report per pair: on the later one. */
				if (x->kind == y->kind && !before(y, x))
					continue;
				if (x->kind == K_CELL && y->kind == K_CELL &&
				    x->owner == y->owner)
					want[x->line - 1][K_OWN] = true;
				else
					want[x->line - 1][y->kind] = true;
			}
		diag_init(&dl);
		c = (struct check_ctx){ &f.sys, &f.board, &dl };
		check_physical_overlaps(&c);
		for (k = 0; k < dl.n; k++) {
			uint32_t line = dl.v[k].loc.line;

			t = partner_kind(dl.v[k].msg);
			ck_assert_msg(line >= 1 && line <= (uint32_t)f.n,
				      "round %d: bad line %u", round, line);
			ck_assert_msg(!got[line - 1][t],
				      "round %d: item %u reported twice: %s",
				      round, line, dl.v[k].msg);
			got[line - 1][t] = true;
		}
		for (i = 0; i < f.n; i++)
			for (t = 0; t < K_N; t++)
				ck_assert_msg(
					want[i][t] == got[i][t],
					"round %d: item %d (kind %d) against kind %d: want %d, got %d",
					round, i + 1, f.items[i].kind, t,
					want[i][t], got[i][t]);
		diag_free(&dl);
	}
}
END_TEST

/* radix_order() against the order it promises: by key, equal keys stable. */
struct sort_elem {
	uint64_t key64;
	uint32_t key32;
	char filler[5]; /* an odd size, as the sweeps' items are not */
};

static uint64_t rnd_key(void)
{
	/* Few distinct values per 16-bit digit: every digit sorts, ties abound.
	 */
	return (uint64_t)rnd(3) << 48 | (uint64_t)rnd(3) << 32 |
	       (uint64_t)rnd(3) << 16 | rnd(3);
}

/* Sorted by key32, then key64, then index: what two stable passes give. */
static bool sort_before(const struct sort_elem *v, uint32_t a, uint32_t b)
{
	if (v[a].key32 != v[b].key32)
		return v[a].key32 < v[b].key32;
	if (v[a].key64 != v[b].key64)
		return v[a].key64 < v[b].key64;
	return a < b;
}

START_TEST(radix_order_is_stable)
{
	static struct sort_elem v[70000]; /* both digit widths */
	static bool seen[ARRAY_SIZE(v)];
	uint32_t *order;
	size_t n, i;
	int round;

	srand(2);
	for (round = 0; round < 200; round++) {
		n = round < 10 ? (size_t)round : 1 + rnd(5000);
		if (round >= 195)
			n = ARRAY_SIZE(v) - rnd(5000);
		for (i = 0; i < n; i++) {
			v[i].key64 = round % 3 ? rnd_key() : 42;
			v[i].key32 = round % 5 ? (uint32_t)rnd_key() : 7;
		}
		/*
		 * Sorted already (the fast path), or but for a tail of up to
		 * 40 (merged when short, else sorted), keys tied with the
		 * sorted part's.
		 */
		if (round % 7 == 6) {
			size_t tail = round % 2 ? 1 + rnd(40) : 0;

			for (i = 0; i < n; i++)
				v[i].key64 = i / 3;
			for (i = n > tail ? n - tail : 0; i < n; i++)
				v[i].key64 = rnd((unsigned int)(n / 3 + 1));
		}
		order = radix_order(v, n, sizeof(v[0]),
				    offsetof(struct sort_elem, key64), 8, NULL);
		order = radix_order(v, n, sizeof(v[0]),
				    offsetof(struct sort_elem, key32), 4,
				    order);
		memset(seen, 0, sizeof(seen));
		for (i = 0; i < n; i++) {
			ck_assert_msg(order[i] < n && !seen[order[i]],
				      "round %d: not a permutation at %zu",
				      round, i);
			seen[order[i]] = true;
			ck_assert_msg(
				!i || sort_before(v, order[i - 1], order[i]),
				"round %d: out of order at %zu", round, i);
		}
		free(order);
	}
}
END_TEST

Suite *check_suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("overlaps");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sweep_matches_pairwise);
	tcase_add_test(tc, radix_order_is_stable);
	suite_add_tcase(s, tc);
	return s;
}
