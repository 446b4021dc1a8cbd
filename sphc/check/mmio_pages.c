// SPDX-License-Identifier: MIT
/*
 * Raw MMIO on a hypervisor that maps by whole pages (sph's runtime, Bao):
 * a cell's sub-page range sharing a page with another owner's device or
 * raw range would hand each the other's registers. Devices among
 * themselves are device-page-conflict for every target already
 * (check/mem.c); here every pair with a raw range in it. Owners: a cell's
 * index, or the hypervisor's (its console). Jailhouse maps sub-page ranges
 * exactly and does not ask.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "diag/diag.h"
#include "lib/util.h"

#define OWNER_HYP SIZE_MAX

struct page_item {
	uint64_t start, end; /* page-rounded */
	uint64_t base, size; /* as declared */
	size_t owner, order;
	const char *device; /* NULL: raw MMIO */
	const struct ynode *node;
};

static int page_item_cmp(const void *a, const void *b)
{
	const struct page_item *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	/* Equal pages: the order added, so reports do not depend on qsort. */
	return x->order < y->order ? -1 : x->order > y->order;
}

static void owner_str(const struct m_system *s, size_t owner, char *buf,
		      size_t n)
{
	if (owner == OWNER_HYP)
		snprintf(buf, n, "the hypervisor");
	else
		snprintf(buf, n, "cell '%s'", s->cells[owner].name);
}

static void what_str(const struct page_item *it, char *buf, size_t n)
{
	if (it->device)
		snprintf(buf, n, "device '%s'", it->device);
	else
		snprintf(buf, n, "raw MMIO [0x%llx, 0x%llx)",
			 (unsigned long long)it->base,
			 (unsigned long long)(it->base + it->size));
}

static void add_page_item(struct page_item **v, size_t *n, size_t *cap,
			  uint64_t page, uint64_t base, uint64_t size,
			  size_t owner, const char *device,
			  const struct ynode *node)
{
	uint64_t end = base + size;

	if (!size || end < base)
		return;
	VEC_RESERVE(*v, *n, *cap);
	(*v)[*n] = (struct page_item){ base - base % page,
				       end + (page - end % page) % page,
				       base,
				       size,
				       owner,
				       *n,
				       device,
				       node };
	(*n)++;
}

static void report_mmio_page(const struct m_system *s, const char *mapper,
			     const struct page_item *raw,
			     const struct page_item *other,
			     struct diag_list *dl)
{
	char ro[128], oo[128], ow[128];
	uint64_t page = raw->start > other->start ? raw->start : other->start;

	owner_str(s, raw->owner, ro, sizeof(ro));
	owner_str(s, other->owner, oo, sizeof(oo));
	what_str(other, ow, sizeof(ow));
	diag_report(
		dl, RULE_DEVICE_PAGE_CONFLICT, ynode_loc(raw->node),
		"%s maps raw MMIO by whole pages: [0x%llx, 0x%llx) of %s shares the page at 0x%llx with %s of %s",
		mapper, (unsigned long long)raw->base,
		(unsigned long long)(raw->base + raw->size), ro,
		(unsigned long long)page, ow, oo);
	if (other->device)
		diag_note(dl, ynode_loc(other->node), "%s gets '%s' here", oo,
			  other->device);
	else
		diag_note(dl, ynode_loc(other->node), "%s gets %s here", oo,
			  ow + strlen("raw MMIO "));
}

void check_mmio_pages(const struct m_system *s, const struct m_board *b,
		      const char *mapper, struct diag_list *dl)
{
	uint64_t page = b->page_size ? b->page_size : 4096;
	const struct b_device *con = s->hyp.console_dev;
	struct page_item *v = NULL;
	size_t n = 0, cap = 0, i, j, k, nraw = 0;
	bool *done;

	for (i = 0; i < s->ncells; i++)
		nraw += s->cells[i].nmmio;
	if (!nraw)
		return;
	for (i = 0; i < s->ncells; i++) {
		const struct m_cell *c = &s->cells[i];

		for (j = 0; j < c->nmmio; j++)
			add_page_item(&v, &n, &cap, page, c->mmio[j].base,
				      c->mmio[j].size, i, NULL,
				      c->mmio[j].node);
		for (j = 0; j < c->ndevices; j++) {
			const struct b_device *d = c->devices[j].dev;

			/* The console, shared, is the cell's console page. */
			for (k = 0; d && d != con && k < d->nregs; k++)
				add_page_item(&v, &n, &cap, page,
					      d->regs[k].base, d->regs[k].size,
					      i, d->name, c->devices[j].node);
		}
	}
	for (k = 0; con && k < con->nregs; k++)
		add_page_item(&v, &n, &cap, page, con->regs[k].base,
			      con->regs[k].size, OWNER_HYP, con->name,
			      s->hyp.console_node ? s->hyp.console_node
						  : b->console_node);
	qsort(v, n, sizeof(*v), page_item_cmp);
	done = xcalloc(n + 1, sizeof(*done));
	/* Pairs on common pages: each later item against the earlier ones
	 * still open (sorted by start, so only those reach it). */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n && v[j].start < v[i].end; j++) {
			const struct page_item *raw, *other;

			if (v[i].owner == v[j].owner ||
			    (v[i].device && v[j].device))
				continue;
			/* Report at the raw one; both raw: the later one. */
			raw = v[j].device ? &v[i] : &v[j];
			other = raw == &v[i] ? &v[j] : &v[i];
			if (done[raw - v])
				continue;
			done[raw - v] = true;
			report_mmio_page(s, mapper, raw, other, dl);
		}
	free(done);
	free(v);
}
