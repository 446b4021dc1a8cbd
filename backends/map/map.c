// SPDX-License-Identifier: MIT
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "backends/map/map.h"
#include "front/number.h"
#include "lib/util.h"

struct map_row {
	uint64_t pa, span, size;
	const char *owner;
	const char *what; /* "ram", "shared rw", "device uart0", ... */
	char attrs[32];
	const colorset_t *colors;
	unsigned int kind; /* for SVG fill: 0 hyp, 1 cell, 2 shared, 3 device */
	unsigned int seq;  /* declaration order, to break ties */
};

struct map_rows {
	struct map_row *v;
	size_t n, cap;
};

static struct map_row *add_row(struct map_rows *r, const struct m_place *pl,
			       uint64_t size, const char *owner,
			       const char *what, unsigned int kind)
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

static void collect(const struct m_system *s, const struct m_board *b,
		    struct map_rows *rows)
{
	static const colorset_t none;
	struct map_row *row;
	size_t i, j, k;

	(void)b;
	if (s->hyp.memory.place.placed) {
		row = add_row(rows, &s->hyp.memory.place, s->hyp.memory.size,
			      "hypervisor", "ram", 0);
		strcpy(row->attrs, "rwx");
		row->colors = &s->hyp.colorset;
	}
	for (i = 0; i < s->ncells; i++) {
		const struct m_cell *c = &s->cells[i];

		for (j = 0; j < c->nregions; j++) {
			if (!c->regions[j].place.placed)
				continue;
			row = add_row(rows, &c->regions[j].place,
				      c->regions[j].size, c->name, "ram", 1);
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
					      c->name, d->name, 3);
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
			      2);
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

	collect(s, b, &rows);
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

/* --- SVG ------------------------------------------------------------- */

static const char *const fills[] = { "#c0392b", "#2e86c1", "#27ae60",
				     "#7f8c8d" };

int map_write_svg(const struct m_system *s, const struct m_board *b, FILE *out)
{
	struct map_rows rows = { 0 };
	const double width = 900, left = 170, row_h = 22;
	uint64_t lo = UINT64_MAX, hi = 0;
	double scale, height;
	size_t i;

	collect(s, b, &rows);
	for (i = 0; i < b->nram; i++) {
		if (b->ram[i].base < lo)
			lo = b->ram[i].base;
		if (b->ram[i].base + b->ram[i].size > hi)
			hi = b->ram[i].base + b->ram[i].size;
	}
	for (i = 0; i < rows.n; i++) {
		if (rows.v[i].pa < lo)
			lo = rows.v[i].pa;
		if (rows.v[i].pa + rows.v[i].span > hi)
			hi = rows.v[i].pa + rows.v[i].span;
	}
	if (hi <= lo)
		hi = lo + 1;
	scale = (width - left - 10) / (double)(hi - lo);
	height = 40 + row_h * (double)(rows.n + 1);
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"monospace\" font-size=\"12\">\n",
		width, height);
	fprintf(out,
		"<text x=\"10\" y=\"18\">%s on %s: 0x%" PRIx64 " .. 0x%" PRIx64
		"</text>\n",
		s->name, b->name, lo, hi);
	for (i = 0; i < b->nram; i++)
		fprintf(out,
			"<rect x=\"%.1f\" y=\"26\" width=\"%.1f\" height=\"8\" fill=\"#d5d8dc\"><title>RAM %s</title></rect>\n",
			left + (double)(b->ram[i].base - lo) * scale,
			(double)b->ram[i].size * scale,
			b->ram[i].name ? b->ram[i].name : "ram");
	for (i = 0; i < rows.n; i++) {
		const struct map_row *r = &rows.v[i];
		double y = 40 + row_h * (double)i, w = (double)r->span * scale;

		fprintf(out, "<text x=\"10\" y=\"%.1f\">%s %s</text>\n", y + 14,
			r->owner, r->what);
		fprintf(out,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"16\" fill=\"%s\"><title>%s %s [0x%" PRIx64
			", 0x%" PRIx64 ")</title></rect>\n",
			left + (double)(r->pa - lo) * scale, y + 2,
			w < 1 ? 1 : w, fills[r->kind], r->owner, r->what, r->pa,
			r->pa + r->span);
	}
	fputs("</svg>\n", out);
	free(rows.v);
	return ferror(out) ? -1 : 0;
}
