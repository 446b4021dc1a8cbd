// SPDX-License-Identifier: MIT
/* `sphc map`: what is placed where, collected once, printed as a table. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "backends/map/map.h"
#include "backends/map/rows.h"
#include "front/number.h"
#include "lib/util.h"

static struct map_row *add_row(struct map_rows *r, const struct m_place *pl,
			       uint64_t size, const char *owner,
			       const char *what, enum map_kind kind,
			       size_t lane)
{
	struct map_row *row;

	VEC_RESERVE(r->v, r->n, r->cap);
	row = &r->v[r->n];
	memset(row, 0, sizeof(*row));
	row->pa = pl->pa;
	row->span = pl->span;
	row->size = size;
	row->owner = owner;
	row->what = what;
	row->kind = kind;
	row->lane = lane;
	row->seq = (unsigned int)r->n++;
	return row;
}

static int row_cmp(const void *a, const void *b)
{
	const struct map_row *x = a, *y = b;

	if (x->pa != y->pa)
		return x->pa < y->pa ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void map_collect(const struct m_system *s, const struct m_board *b,
		 struct map_rows *rows)
{
	static const colorset_t none;
	struct map_row *row;
	size_t i, j, k;

	(void)b;
	if (s->hyp.memory.place.placed) {
		row = add_row(rows, &s->hyp.memory.place, s->hyp.memory.size,
			      "hypervisor", "ram", MAP_HYP, 0);
		strcpy(row->attrs, "rwx");
		row->colors = &s->hyp.colorset;
	}
	for (i = 0; i < s->ncells; i++) {
		const struct m_cell *c = &s->cells[i];

		for (j = 0; j < c->nregions; j++) {
			if (!c->regions[j].place.placed)
				continue;
			row = add_row(rows, &c->regions[j].place,
				      c->regions[j].size, c->name, "ram",
				      MAP_CELL, 1 + i);
			snprintf(row->attrs, sizeof(row->attrs),
				 "rwx ipa=0x%" PRIx64, c->regions[j].place.ipa);
			row->colors = &c->colorset;
		}
		for (j = 0; j < c->ndevices; j++) {
			const struct b_device *d = c->devices[j].dev;

			for (k = 0; d && k < d->nregs; k++) {
				struct m_place pl = { d->regs[k].base,
						      d->regs[k].size,
						      d->regs[k].base, false,
						      true };

				row = add_row(rows, &pl, d->regs[k].size,
					      c->name, d->name, MAP_DEVICE,
					      s->ncells + 2);
				strcpy(row->attrs, "device");
				row->colors = &none;
			}
		}
	}
	for (i = 0; i < s->nshared; i++) {
		const struct m_shared *sh = &s->shared[i];

		if (!sh->place.placed)
			continue;
		row = add_row(rows, &sh->place, sh->size, sh->name, "shared",
			      MAP_SHARED, s->ncells + 1);
		snprintf(row->attrs, sizeof(row->attrs), "%zu cells%s",
			 sh->naccess, sh->doorbell ? " doorbell" : "");
		row->colors = &none;
	}
	if (rows->n) /* qsort wants a valid pointer even for no rows */
		qsort(rows->v, rows->n, sizeof(*rows->v), row_cmp);
}

void map_print_table(const struct m_system *s, const struct m_board *b,
		     FILE *out)
{
	struct map_rows rows = { 0 };
	char size[32], colors[96];
	size_t i;

	map_collect(s, b, &rows);
	fprintf(out, "%-16s %-8s %-33s %-8s %-24s %s\n", "owner", "kind",
		"physical range", "size", "attributes", "colors");
	for (i = 0; i < rows.n; i++) {
		const struct map_row *r = &rows.v[i];
		char range[40];

		snprintf(range, sizeof(range),
			 "[0x%09" PRIx64 ", 0x%09" PRIx64 ")", r->pa,
			 r->pa + r->span);
		num_format_size(r->size, size, sizeof(size));
		colorset_format(r->colors, colors, sizeof(colors));
		fprintf(out, "%-16s %-8s %-33s %-8s %-24s %s\n", r->owner,
			r->what, range, size, r->attrs, colors);
	}
	free(rows.v);
}
