// SPDX-License-Identifier: MIT
/*
 * The runtime moves onto the pages of its colors (hypervisor/README.md,
 * "The runtime's memory"). The boot CPU runs this with the MMU off, from
 * the first page of the image where the boot loader put it. Every page of
 * the image moves to the k-th page of the colors, which is never below
 * it, so copying from the last page down overwrites only pages already
 * copied, and the first page is never overwritten by another: this code,
 * its literal pool and its stack live there (.text.boot). It reaches
 * nothing by link address (literal loads only) and calls nothing outside
 * this file.
 *
 * The window (link address __sph_hyp_va, the last GiB of the space) maps
 * page k of the window to the k-th page of the colors in [load_pa,
 * __sph_system_blob): the image, its .bss, then the runtime's own page
 * tables, then the pool (stacks, stage-2 tables). The rest of the space
 * is an identity map: Device in 1 GiB blocks, but the GiB holding the
 * runtime, which is Normal memory (its 2 MiB blocks, and its first 2 MiB
 * in pages): there the first page alone is executable, for secondary CPUs
 * to turn their MMU on (head.S). arch_init() then marks the GiBs with RAM
 * of the cells Normal.
 */
#include <asm/boot.h>

#define BOOT __attribute__((section(".text.boot")))
#define PAGE 4096ul
#define PAGE_WORDS (PAGE / 8)

#define PTE_TABLE 0x3ul /* levels 1-2; a page at level 3 */
#define PTE_BLOCK 0x1ul
#define PTE_DEVICE (0ul << 2)		 /* MAIR_EL2_HYP attr0 */
#define PTE_NORMAL (1ul << 2 | 3ul << 8) /* attr1, inner shareable */
#define PTE_RO (1ul << 7)
#define PTE_AF (1ul << 10)
#define PTE_XN (1ul << 54)
#define PTE_OA 0x0000fffffffff000ul

struct colors {
	uint64_t set[4];
	uint64_t n;   /* colors of the cache (1: coloring is off) */
	uint64_t per; /* of them, the runtime's */
};

static BOOT int own(const struct colors *c, uint64_t pa)
{
	uint64_t k = (pa / PAGE) % c->n;

	return c->set[k / 64] >> (k % 64) & 1;
}

/* The first page of the colors at or above @pa. */
static BOOT uint64_t next_own(const struct colors *c, uint64_t pa)
{
	while (!own(c, pa))
		pa += PAGE;
	return pa;
}

/* The k-th page of the colors from @base: whole periods, then a scan. */
static BOOT uint64_t nth(const struct colors *c, uint64_t base, uint64_t k)
{
	uint64_t pa = base + k / c->per * c->n * PAGE;

	for (k %= c->per;; pa += PAGE)
		if (own(c, pa) && !k--)
			return pa;
}

static BOOT void zero_page(uint64_t pa)
{
	uint64_t *p = (uint64_t *)pa, i;

	for (i = 0; i < PAGE_WORDS; i++)
		p[i] = 0;
}

static BOOT void load_colors(struct colors *c)
{
	uint64_t i;

	c->n = LINK_VALUE(__sph_num_colors);
	c->set[0] = LINK_VALUE(__sph_hyp_colors0);
	c->set[1] = LINK_VALUE(__sph_hyp_colors1);
	c->set[2] = LINK_VALUE(__sph_hyp_colors2);
	c->set[3] = LINK_VALUE(__sph_hyp_colors3);
	for (c->per = 0, i = 0; i < c->n && i < 256; i++)
		c->per += c->set[i / 64] >> (i % 64) & 1;
	if (!c->per) { /* no colors of its own: every page */
		c->n = c->per = 1;
		c->set[0] = 1;
	}
}

/* Window page attributes: code read-only, constants read-only, rest RW. */
static BOOT uint64_t window_attr(uint64_t va)
{
	uint64_t a = PTE_AF | PTE_NORMAL | PTE_TABLE;

	if (va < LINK_VALUE(__text_end))
		return a | PTE_RO;
	if (va + PAGE <= LINK_VALUE(__rodata_end))
		return a | PTE_RO | PTE_XN;
	return a | PTE_XN;
}

uint64_t BOOT hyp_relocate(uint64_t load_pa)
{
	struct colors c;
	uint64_t va = LINK_VALUE(__sph_hyp_va), pages, img, bss, end, k, i;
	uint64_t first, l3s, root, id_l2, id_l3, win_l2, pa, *t, *info;

	load_colors(&c);
	pages = LINK_VALUE(__sph_hyp_window) / PAGE;
	img = (LINK_VALUE(__hyp_load_end) - load_pa + PAGE - 1) / PAGE;
	bss = LINK_VALUE(__hyp_load_end) - load_pa;
	end = LINK_VALUE(__hyp_end) - va;

	/* The image, from its last page down. */
	for (k = img; k--;) {
		uint64_t *to = (uint64_t *)nth(&c, load_pa, k),
			 *from = (uint64_t *)(load_pa + k * PAGE);

		if (to != from)
			for (i = 0; i < PAGE_WORDS; i++)
				to[i] = from[i];
	}
	/* .bss: from the end of the loaded bytes to __hyp_end. */
	for (; bss < end; bss = (bss | (PAGE - 1)) + 1) {
		t = (uint64_t *)nth(&c, load_pa, bss / PAGE);
		for (i = bss % PAGE / 8; i < PAGE_WORDS; i++)
			t[i] = 0;
	}

	/* The tables: root, identity L2 and L3, window L2, window L3s. */
	first = end / PAGE;
	l3s = (pages + 511) / 512;
	for (k = first; k < first + 4 + l3s; k++)
		zero_page(nth(&c, load_pa, k));
	root = nth(&c, load_pa, first);
	id_l2 = nth(&c, load_pa, first + 1);
	id_l3 = nth(&c, load_pa, first + 2);
	win_l2 = nth(&c, load_pa, first + 3);

	t = (uint64_t *)root;
	for (i = 0; i < 512; i++)
		t[i] = i << 30 | PTE_AF | PTE_DEVICE | PTE_XN | PTE_BLOCK;
	t[load_pa >> 30 & 511] = id_l2 | PTE_TABLE;
	t[WINDOW_SLOT] = win_l2 | PTE_TABLE;

	t = (uint64_t *)id_l2;
	for (i = 0; i < 512; i++)
		t[i] = ((load_pa >> 30 << 30) + (i << 21)) | PTE_AF |
		       PTE_NORMAL | PTE_XN | PTE_BLOCK;
	t[load_pa >> 21 & 511] = id_l3 | PTE_TABLE;

	t = (uint64_t *)id_l3;
	for (i = 0; i < 512; i++)
		t[i] = ((load_pa >> 21 << 21) + i * PAGE) | PTE_AF |
		       PTE_NORMAL | PTE_XN | PTE_TABLE;
	t[load_pa >> 12 & 511] =
		load_pa | PTE_AF | PTE_NORMAL | PTE_RO | PTE_TABLE;

	t = (uint64_t *)win_l2;
	for (i = 0; i < l3s; i++)
		t[i] = nth(&c, load_pa, first + 4 + i) | PTE_TABLE;

	for (k = 0, pa = next_own(&c, load_pa); k < pages;
	     k++, pa = next_own(&c, pa + PAGE)) {
		if (!(k % 512))
			t = (uint64_t *)nth(&c, load_pa, first + 4 + k / 512);
		t[k % 512] = pa | window_attr(va + k * PAGE);
	}

	/* boot_info, in the boot page as loaded and in its window copy. */
	for (i = 0; i < 2; i++) {
		info = (uint64_t *)((i ? nth(&c, load_pa, 0) : load_pa) +
				    (LINK_VALUE(boot_info) - va));
		info[0] = root;
		info[1] = va + first * PAGE;
		info[2] = va + (first + 4) * PAGE;
		info[3] = va + (first + 4 + l3s) * PAGE;
	}
	return root;
}
