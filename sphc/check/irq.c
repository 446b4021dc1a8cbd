// SPDX-License-Identifier: MIT
/*
 * Interrupts: numbers that are no SPI of the board or that the hypervisor
 * keeps, interrupts routed to two cells or to a cell that does not own
 * their device, and doorbells that collide.
 *
 * A cell's interrupts are its explicit `irqs:` plus those of its devices.
 * Every INTID is below 1020 (GICv3 architecture; the schemas enforce it).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "check/internal.h"
#include "lib/util.h"

#define NINTID 1024

/* What an INTID is reserved for, or NULL. */
static const char *reserved_for(const struct check_ctx *c, uint32_t intid,
				const struct ynode **where)
{
	const struct m_board *b = c->board;
	const struct ynode *timer =
		ymap_get(ymap_get(b->root, "timer"), "irqs");
	const struct b_device *con = c->sys->hyp.console_dev;
	static const struct {
		size_t off;
		const char *key, *what;
	} ppis[] = {
		{ offsetof(struct m_board, timer_hyp), "hyp",
		  "the hypervisor's timer interrupt" },
		{ offsetof(struct m_board, timer_virt), "virt",
		  "the virtual timer interrupt" },
		{ offsetof(struct m_board, timer_phys), "phys",
		  "the physical timer interrupt" },
		{ offsetof(struct m_board, timer_secure), "secure",
		  "the secure timer interrupt" },
	};
	size_t i;

	if (intid && intid == b->gic.maintenance_irq) {
		*where = ymap_get(b->gic.node, "maintenance-irq");
		return "the GIC maintenance interrupt";
	}
	for (i = 0; i < ARRAY_SIZE(ppis); i++) {
		uint32_t v = *(const uint32_t *)((const char *)b + ppis[i].off);

		if (intid && intid == v) {
			*where = ymap_get(timer, ppis[i].key);
			return ppis[i].what;
		}
	}
	for (i = 0; con && i < con->nirqs; i++)
		if (con->irqs[i].intid == intid) {
			*where = con->irqs[i].node;
			return "the interrupt of the hypervisor's console";
		}
	return NULL;
}

/*
 * spi_hint - "; did you mean INTID 52 (SPI 20)?" when @intid, below 32, is
 * likely an SPI number written where an INTID belongs (device trees and
 * datasheets number SPIs from 0); else "".
 */
static const char *spi_hint(const struct m_board *b, uint32_t intid, char *buf,
			    size_t len)
{
	if (intid >= 32 || intid >= b->gic.spis)
		return "";
	snprintf(buf, len, "; did you mean INTID %u (SPI %u)?", intid + 32,
		 intid);
	return buf;
}

/* Report @intid if reserved or (when @must_be_spi) not an SPI. */
static void check_number(struct check_ctx *c, uint32_t intid,
			 const struct ynode *node, const char *subject,
			 bool must_be_spi)
{
	const struct m_board *b = c->board;
	const struct ynode *where = NULL;
	const char *why = reserved_for(c, intid, &where);
	char hint[64];

	if (why) {
		diag_report(c->dl, RULE_IRQ_RESERVED, node_loc(c, node),
			    "%s is %s, which the hypervisor reserves%s",
			    subject, why,
			    must_be_spi ? spi_hint(b, intid, hint, sizeof(hint))
					: "");
		diag_note(c->dl, node_loc(c, where),
			  "board '%s' declares it here", b->name);
		return;
	}
	if (!must_be_spi || (intid >= 32 && intid - 32 < b->gic.spis))
		return;
	diag_report(c->dl, RULE_IRQ_NOT_SPI, node_loc(c, node),
		    "%s is not an SPI of board '%s' (INTIDs 32-%u)%s", subject,
		    b->name, 32 + b->gic.spis - 1,
		    spi_hint(b, intid, hint, sizeof(hint)));
	diag_note(c->dl, node_loc(c, ymap_get(b->gic.node, "spis")),
		  "board '%s' wires %u SPIs here", b->name, b->gic.spis);
}

void check_irq_numbers(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	const struct m_cell *cell;
	char subject[256];
	size_t i, j, k;

	for_each_cell(s, i, cell) {
		for (j = 0; j < cell->nirqs; j++) {
			snprintf(subject, sizeof(subject),
				 "interrupt %u of cell '%s'",
				 cell->irqs[j].intid, cell->name);
			check_number(c, cell->irqs[j].intid, cell->irqs[j].node,
				     subject, true);
		}
		for (j = 0; j < cell->ndevices; j++) {
			const struct b_device *d = cell->devices[j].dev;

			/*
			 * The console itself is a device-conflict already; a
			 * device in shared use brings no interrupt.
			 */
			if (!d || d == s->hyp.console_dev ||
			    cell->devices[j].shared_use)
				continue;
			for (k = 0; k < d->nirqs; k++) {
				snprintf(
					subject, sizeof(subject),
					"interrupt %u of device '%s' of cell '%s'",
					d->irqs[k].intid, d->name, cell->name);
				check_number(c, d->irqs[k].intid,
					     cell->devices[j].node, subject,
					     false);
			}
		}
	}
	for (i = 0; i < s->nshared; i++) {
		const struct m_shared *sh = &s->shared[i];

		if (!sh->doorbell || !sh->doorbell_irq)
			continue; /* allocated ones are free SPIs */
		snprintf(subject, sizeof(subject),
			 "doorbell interrupt %u of shared region '%s'",
			 sh->doorbell_irq, sh->name);
		check_number(c, sh->doorbell_irq, sh->doorbell_node, subject,
			     true);
	}
}

/* --- owners ------------------------------------------------------------ */

/* The first cell that gets each INTID, and from where. */
struct irq_owner {
	int cell;		    /* -1: none */
	const struct ynode *node;   /* the irqs: item or the device ref */
	const struct b_device *dev; /* NULL: an explicit irqs: item */
};

/* Board devices by INTID: head[intid] then next[], in board order. */
struct dev_irqs {
	int head[NINTID];
	int *next; /* by flat index (device, irq) */
	size_t *dev, *irq;
};

static void dev_irqs_init(const struct m_board *b, struct dev_irqs *t)
{
	size_t i, j, n = 0, k;

	for (i = 0; i < NINTID; i++)
		t->head[i] = -1;
	for (i = 0; i < b->ndevices; i++)
		n += b->devices[i].nirqs;
	t->next = xcalloc(n + 1, sizeof(*t->next));
	t->dev = xcalloc(n + 1, sizeof(*t->dev));
	t->irq = xcalloc(n + 1, sizeof(*t->irq));
	/* Backwards, so that each chain is in board order. */
	k = n;
	for (i = b->ndevices; i-- > 0;)
		for (j = b->devices[i].nirqs; j-- > 0;) {
			uint32_t id = b->devices[i].irqs[j].intid;

			k--;
			t->dev[k] = i;
			t->irq[k] = j;
			t->next[k] = -1;
			if (id >= NINTID)
				continue;
			t->next[k] = t->head[id];
			t->head[id] = (int)k;
		}
}

static void dev_irqs_free(struct dev_irqs *t)
{
	free(t->next);
	free(t->dev);
	free(t->irq);
}

static void owner_note(struct check_ctx *c, const struct irq_owner *o,
		       uint32_t intid)
{
	const char *name = c->sys->cells[o->cell].name;

	if (o->dev)
		diag_note(c->dl, ynode_loc(o->node),
			  "cell '%s' gets interrupt %u from device '%s' here",
			  name, intid, o->dev->name);
	else
		diag_note(c->dl, ynode_loc(o->node),
			  "cell '%s' gets interrupt %u here", name, intid);
}

/*
 * Fill @tab with the first owner of each INTID, cells in order; with
 * @report, report each later cell that gets one too.
 */
static void irq_table(struct check_ctx *c, struct irq_owner *tab, bool report)
{
	const struct m_cell *cell;
	size_t i, j, k;

	for (i = 0; i < NINTID; i++)
		tab[i] = (struct irq_owner){ -1, NULL, NULL };
	for_each_cell(c->sys, i, cell) {
		for (j = 0; j < cell->nirqs; j++) {
			uint32_t id = cell->irqs[j].intid;
			struct irq_owner *o = &tab[id < NINTID ? id : 0];

			if (id >= NINTID)
				continue;
			if (o->cell < 0) {
				*o = (struct irq_owner){ (int)i,
							 cell->irqs[j].node,
							 NULL };
			} else if (report && o->cell != (int)i) {
				diag_report(
					c->dl, RULE_IRQ_CONFLICT,
					ynode_loc(cell->irqs[j].node),
					"interrupt %u of cell '%s' is also routed to cell '%s'",
					id, cell->name,
					c->sys->cells[o->cell].name);
				owner_note(c, o, id);
			}
		}
		for (j = 0; j < cell->ndevices; j++) {
			const struct m_devref *ref = &cell->devices[j];
			bool reported = false;

			if (ref->shared_use)
				continue; /* its interrupts go to no cell */
			for (k = 0; ref->dev && k < ref->dev->nirqs; k++) {
				uint32_t id = ref->dev->irqs[k].intid;
				struct irq_owner *o =
					&tab[id < NINTID ? id : 0];

				if (id >= NINTID)
					continue;
				if (o->cell < 0) {
					*o = (struct irq_owner){ (int)i,
								 ref->node,
								 ref->dev };
					continue;
				}
				/*
				 * The same device in two cells: allowed when
				 * shareable, a device-conflict otherwise.
				 */
				if (!report || reported || o->cell == (int)i ||
				    o->dev == ref->dev)
					continue;
				diag_report(
					c->dl, RULE_IRQ_CONFLICT,
					ynode_loc(ref->node),
					"interrupt %u of device '%s' of cell '%s' is also routed to cell '%s'",
					id, ref->name, cell->name,
					c->sys->cells[o->cell].name);
				owner_note(c, o, id);
				reported = true; /* once per device */
			}
		}
	}
}

void check_irq_owners(struct check_ctx *c)
{
	const struct m_board *b = c->board;
	const struct m_cell *cell;
	struct irq_owner *tab = xcalloc(NINTID, sizeof(*tab));
	struct dev_irqs *t = xcalloc(1, sizeof(*t));
	size_t *owned = xcalloc(b->ndevices + 1, sizeof(*owned));
	size_t i, j;
	int k;

	irq_table(c, tab, true);
	dev_irqs_init(b, t);
	for_each_cell(c->sys, i, cell) {
		for (j = 0; j < cell->ndevices; j++)
			if (cell->devices[j].dev)
				owned[cell->devices[j].dev - b->devices] =
					i + 1;
		for (j = 0; j < cell->nirqs; j++) {
			uint32_t id = cell->irqs[j].intid;
			const struct ynode *where;
			const struct b_device *d;

			if (id >= NINTID || t->head[id] < 0)
				continue;
			if (reserved_for(c, id, &where))
				continue; /* irq-reserved says it all */
			for (k = t->head[id]; k >= 0; k = t->next[k])
				if (owned[t->dev[k]] == i + 1)
					break;
			if (k >= 0)
				continue; /* it owns one of the devices */
			k = t->head[id];
			d = &b->devices[t->dev[k]];
			diag_report(
				c->dl, RULE_IRQ_DEVICE_OWNER,
				ynode_loc(cell->irqs[j].node),
				"interrupt %u of cell '%s' belongs to device '%s', which cell '%s' does not own",
				id, cell->name, d->name, cell->name);
			diag_note(c->dl, ynode_loc(d->irqs[t->irq[k]].node),
				  "'%s' declares interrupt %u here", d->name,
				  id);
		}
	}
	dev_irqs_free(t);
	free(t);
	free(owned);
	free(tab);
}

/* --- doorbells --------------------------------------------------------- */

void check_doorbells(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	const struct m_board *b = c->board;
	struct irq_owner *tab = xcalloc(NINTID, sizeof(*tab));
	struct dev_irqs *t = xcalloc(1, sizeof(*t));
	int *first = xcalloc(NINTID, sizeof(*first));
	size_t i;

	irq_table(c, tab, false);
	dev_irqs_init(b, t);
	for (i = 0; i < NINTID; i++)
		first[i] = -1;
	for (i = 0; i < s->nshared; i++) {
		const struct m_shared *sh = &s->shared[i];
		uint32_t id = sh->doorbell_intid ? sh->doorbell_intid
						 : sh->doorbell_irq;
		struct loc at = node_loc(c, sh->doorbell_node);

		if (!sh->doorbell || !id || id >= NINTID)
			continue;
		if (first[id] >= 0) {
			const struct m_shared *o = &s->shared[first[id]];

			diag_report(
				c->dl, RULE_DOORBELL_CONFLICT, at,
				"doorbell interrupt %u of shared region '%s' is also the doorbell of shared region '%s'",
				id, sh->name, o->name);
			diag_note(c->dl, node_loc(c, o->doorbell_node),
				  "'%s' takes interrupt %u here", o->name, id);
		} else {
			first[id] = (int)i;
		}
		if (tab[id].cell >= 0) {
			diag_report(
				c->dl, RULE_DOORBELL_CONFLICT, at,
				"doorbell interrupt %u of shared region '%s' is also routed to cell '%s'",
				id, sh->name, s->cells[tab[id].cell].name);
			owner_note(c, &tab[id], id);
		} else if (t->head[id] >= 0) {
			/* No cell owns it, but a device is wired to it. */
			int k = t->head[id];
			const struct b_device *d = &b->devices[t->dev[k]];

			diag_report(
				c->dl, RULE_DOORBELL_CONFLICT, at,
				"doorbell interrupt %u of shared region '%s' is the interrupt of device '%s'",
				id, sh->name, d->name);
			diag_note(c->dl, ynode_loc(d->irqs[t->irq[k]].node),
				  "'%s' declares interrupt %u here", d->name,
				  id);
		}
	}
	dev_irqs_free(t);
	free(t);
	free(first);
	free(tab);
}
