// SPDX-License-Identifier: MIT
/*
 * `sphc map --svg`: the rows of the table (rows.h) drawn as a memory map is
 * read. Addresses run left to right on one axis shared by every lane (the
 * hypervisor, each cell, the shared regions, the devices), with a labeled
 * tick at every boundary. The axis is piecewise linear: each piece between
 * two boundaries gets a minimum width plus a share in proportion to its
 * size, and a stretch that holds nothing (not even board RAM) is drawn as a
 * fixed-width break, so a 4K device and 1G of RAM both stay readable.
 * Colored regions are hatched and say their colors; a second panel shows
 * who owns which cache color, which is why colored cells can share a range
 * without overlapping.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "backends/map/map.h"
#include "backends/map/rows.h"
#include "front/number.h"
#include "lib/util.h"

#define LANE_X 150.0   /* the axis starts here; lane names to its left */
#define MIN_PIECE 56.0 /* the narrowest piece of the axis */
#define SHARE 760.0    /* shared out among the pieces by size */
#define BREAK_W 46.0   /* a stretch that holds nothing */
#define AXIS_Y 112.0   /* the axis line; tick labels above it */
#define BAR_H 18.0
#define LINE_H 13.0
#define CHAR_W 6.6 /* of the 11px monospace labels */
#define MAX_LABEL_ROWS 16
#define SQUARE 16.0 /* a cell of the colors panel */

static const char *const cell_fills[] = { "#2e86c1", "#8e44ad", "#d68910",
					  "#16a085", "#c2185b", "#1f618d",
					  "#7d6608", "#5d6d7e" };
#define HYP_FILL "#c0392b"
#define SHARED_FILL "#27ae60"
#define DEVICE_FILL "#7f8c8d"
#define RAM_FILL "#d5d8dc"

/* The axis: sorted boundaries and where each is drawn. */
struct axis {
	uint64_t *pt;
	double *x;
	bool *empty; /* piece i, [pt[i], pt[i+1]), holds nothing */
	size_t n;
};

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool covers(const struct map_rows *rows, const struct m_board *b,
		   uint64_t lo, uint64_t hi)
{
	size_t i;

	for (i = 0; i < rows->n; i++)
		if (rows->v[i].pa < hi && rows->v[i].pa + rows->v[i].span > lo)
			return true;
	for (i = 0; i < b->nram; i++)
		if (b->ram[i].base < hi && b->ram[i].base + b->ram[i].size > lo)
			return true;
	return false;
}

static void axis_build(struct axis *a, const struct map_rows *rows,
		       const struct m_board *b)
{
	uint64_t *pt = xcalloc(2 * (rows->n + b->nram) + 2, sizeof(*pt));
	uint64_t total = 0;
	size_t n = 0, i, k;
	double x = LANE_X;

	for (i = 0; i < rows->n; i++) {
		pt[n++] = rows->v[i].pa;
		pt[n++] = rows->v[i].pa + rows->v[i].span;
	}
	for (i = 0; i < b->nram; i++) {
		pt[n++] = b->ram[i].base;
		pt[n++] = b->ram[i].base + b->ram[i].size;
	}
	if (n)
		qsort(pt, n, sizeof(*pt), u64_cmp);
	for (i = 0, k = 0; i < n; i++)
		if (!k || pt[i] != pt[k - 1])
			pt[k++] = pt[i];
	a->pt = pt;
	a->n = k;
	a->x = xcalloc(k + 1, sizeof(*a->x));
	a->empty = xcalloc(k + 1, sizeof(*a->empty));
	for (i = 0; i + 1 < k; i++) {
		a->empty[i] = !covers(rows, b, pt[i], pt[i + 1]);
		if (!a->empty[i])
			total += pt[i + 1] - pt[i];
	}
	for (i = 0; i < k; i++) {
		a->x[i] = x;
		if (i + 1 == k)
			break;
		x += a->empty[i]
			     ? BREAK_W
			     : MIN_PIECE + SHARE * (double)(pt[i + 1] - pt[i]) /
						   (double)total;
	}
}

/* Where address @v (a boundary, or inside a piece) is drawn. */
static double axis_x(const struct axis *a, uint64_t v)
{
	size_t i;

	for (i = 0; i + 1 < a->n; i++)
		if (v <= a->pt[i + 1])
			break;
	if (i + 1 >= a->n || v <= a->pt[i])
		return a->x[i < a->n ? i : a->n - 1];
	return a->x[i] + (a->x[i + 1] - a->x[i]) * (double)(v - a->pt[i]) /
				 (double)(a->pt[i + 1] - a->pt[i]);
}

static void axis_free(struct axis *a)
{
	free(a->pt);
	free(a->x);
	free(a->empty);
}

/* @s as XML character data. */
static void xml(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '&')
			fputs("&amp;", out);
		else if (*s == '"')
			fputs("&quot;", out);
		else
			fputc(*s, out);
	}
}

struct lane {
	const char *name;
	const char *fill;
	double y, h;
	double right[MAX_LABEL_ROWS]; /* where each row of labels ends */
	int rows;
};

/* The label lines of row @r: its name, its range, its size and colors. */
static void row_labels(const struct map_row *r, char lines[3][128])
{
	char size[32], colors[64];

	num_format_size(r->size, size, sizeof(size));
	colorset_format(r->colors, colors, sizeof(colors));
	if (r->kind == MAP_DEVICE)
		snprintf(lines[0], 128, "%s (%s)", r->what, r->owner);
	else if (r->kind == MAP_SHARED)
		snprintf(lines[0], 128, "%s: %s", r->owner, r->attrs);
	else
		snprintf(lines[0], 128, "%s", r->owner);
	snprintf(lines[1], 128, "0x%" PRIx64 "-0x%" PRIx64, r->pa,
		 r->pa + r->span);
	if (strcmp(colors, "-"))
		snprintf(lines[2], 128, "%s, colors %s", size, colors);
	else
		snprintf(lines[2], 128, "%s", size);
}

/* The row of labels of @l where a label from @x0, @w wide, fits. */
static int label_row(struct lane *l, double x0, double w)
{
	int i;

	for (i = 0; i < l->rows; i++)
		if (x0 >= l->right[i] + 6)
			break;
	if (i == MAX_LABEL_ROWS)
		i = MAX_LABEL_ROWS - 1; /* overlap rather than grow forever */
	if (i == l->rows)
		l->rows++;
	l->right[i] = x0 + w;
	return i;
}

static double label_width(char lines[3][128])
{
	size_t w = strlen(lines[0]), i;

	for (i = 1; i < 3; i++)
		if (strlen(lines[i]) > w)
			w = strlen(lines[i]);
	return CHAR_W * (double)w;
}

/* "~864M": a gap's size, rounded, for the break mark. */
static void approx_size(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double d = (double)v;
	int u = -1;

	while (d >= 1024 && u < 5) {
		d /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%" PRIu64, v);
	else
		snprintf(buf, len, "~%.0f%c", d, units[u]);
}

static void draw_axis(FILE *out, const struct axis *a, double bottom)
{
	char size[32];
	size_t i;

	fprintf(out,
		"<g class=\"axis\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		"y2=\"%.1f\" stroke=\"#333\"/>\n",
		LANE_X, AXIS_Y, a->n ? a->x[a->n - 1] : LANE_X, AXIS_Y);
	for (i = 0; i < a->n; i++) {
		fprintf(out,
			"<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"#bbb\" stroke-dasharray=\"2,3\"/>\n",
			a->x[i], AXIS_Y, a->x[i], bottom);
		fprintf(out,
			"<text class=\"tick\" transform=\"translate(%.1f,%.1f) "
			"rotate(-60)\" font-size=\"10\">0x%" PRIx64 "</text>\n",
			a->x[i] + 3, AXIS_Y - 4, a->pt[i]);
		if (i + 1 < a->n && a->empty[i]) {
			double m = (a->x[i] + a->x[i + 1]) / 2;

			approx_size(a->pt[i + 1] - a->pt[i], size,
				    sizeof(size));
			fprintf(out,
				"<g class=\"break\"><rect x=\"%.1f\" y=\"%.1f\" "
				"width=\"12\" height=\"10\" fill=\"white\"/>"
				"<path d=\"M%.1f %.1f l6 -10 M%.1f %.1f l6 -10\" "
				"stroke=\"#333\"/><text x=\"%.1f\" y=\"%.1f\" "
				"font-size=\"9\" text-anchor=\"middle\">gap "
				"%s</text></g>\n",
				m - 6, AXIS_Y - 5, m - 7, AXIS_Y + 5, m + 1,
				AXIS_Y + 5, m, AXIS_Y + 16, size);
		}
	}
	fputs("</g>\n", out);
}

static void draw_row(FILE *out, const struct map_row *r, const struct axis *a,
		     struct lane *l)
{
	double x0 = axis_x(a, r->pa), x1 = axis_x(a, r->pa + r->span);
	double w = x1 - x0 < 2 ? 2 : x1 - x0, lw, ty;
	bool colored = !colorset_empty(r->colors);
	char lines[3][128];
	int row, i;

	row_labels(r, lines);
	lw = label_width(lines);
	row = label_row(l, x0, lw);
	fprintf(out,
		"<g class=\"region\"><rect x=\"%.1f\" y=\"%.1f\" "
		"width=\"%.1f\" height=\"%.0f\" fill=\"%s\" "
		"stroke=\"white\"",
		x0, l->y, w, BAR_H, l->fill);
	fputs(colored ? " fill-opacity=\"0.55\">" : ">", out);
	fputs("<title>", out);
	xml(out, lines[0]);
	fprintf(out, " [0x%" PRIx64 ", 0x%" PRIx64 ") ", r->pa,
		r->pa + r->span);
	xml(out, lines[2]);
	fputs("</title></rect>\n", out);
	if (colored)
		fprintf(out,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"%.0f\" fill=\"url(#colored)\"/>\n",
			x0, l->y, w, BAR_H);
	ty = l->y + BAR_H + LINE_H + (double)row * 3 * LINE_H;
	for (i = 0; i < 3; i++) {
		fprintf(out, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\">", x0,
			ty + i * LINE_H - 2);
		xml(out, lines[i]);
		fputs("</text>\n", out);
	}
	fputs("</g>\n", out);
}

/* Who owns which cache color: hypervisor and cells x colors. */
static double draw_colors(FILE *out, const struct m_system *s,
			  const struct m_board *b, double y)
{
	uint32_t n = board_colors(b), c;
	size_t i;

	if (!n || n > 64)
		return y;
	fprintf(out,
		"<g class=\"colors\"><text x=\"10\" y=\"%.1f\" "
		"font-weight=\"bold\">Last-level cache colors (%" PRIu32
		"): who may fill which</text>\n",
		y + 12, n);
	y += 22;
	for (c = 0; c < n; c++)
		fprintf(out,
			"<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" "
			"text-anchor=\"middle\">%" PRIu32 "</text>\n",
			LANE_X + c * SQUARE + SQUARE / 2, y + 8, c);
	y += 12;
	for (i = 0; i <= s->ncells; i++) {
		const colorset_t *set =
			i ? &s->cells[i - 1].colorset : &s->hyp.colorset;
		const char *fill = i ? cell_fills[(i - 1) % 8] : HYP_FILL;

		fputs("<g class=\"owner\"><text x=\"10\" y=\"", out);
		fprintf(out, "%.1f\">", y + 12);
		xml(out, i ? s->cells[i - 1].name : "hypervisor");
		fputs("</text>\n", out);
		for (c = 0; c < n; c++)
			fprintf(out,
				"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" "
				"height=\"%.0f\" fill=\"%s\" stroke=\"#999\"/>\n",
				LANE_X + c * SQUARE, y, SQUARE - 2, SQUARE - 2,
				colorset_has(set, c) ? fill : "white");
		fputs("</g>\n", out);
		y += SQUARE;
	}
	fprintf(out,
		"<text x=\"10\" y=\"%.1f\">Colored regions may share an "
		"address range: each uses only the 4K pages of its own colors, "
		"so they do not overlap.</text>\n</g>\n",
		y + 14);
	return y + 24;
}

static double draw_legend(FILE *out, double y)
{
	static const struct {
		const char *fill, *text;
	} keys[] = {
		{ HYP_FILL, "hypervisor" },
		{ "#2e86c1", "a cell (one hue each)" },
		{ SHARED_FILL, "shared region" },
		{ DEVICE_FILL, "device registers" },
		{ RAM_FILL, "board RAM" },
	};
	size_t i;

	fprintf(out,
		"<g class=\"legend\"><text x=\"10\" y=\"%.1f\" "
		"font-weight=\"bold\">Legend</text>\n",
		y + 12);
	y += 20;
	for (i = 0; i < ARRAY_SIZE(keys); i++, y += 18)
		fprintf(out,
			"<rect x=\"10\" y=\"%.1f\" width=\"24\" height=\"12\" "
			"fill=\"%s\" stroke=\"#999\"/><text x=\"42\" "
			"y=\"%.1f\">%s</text>\n",
			y, keys[i].fill, y + 10, keys[i].text);
	fprintf(out,
		"<rect x=\"10\" y=\"%.1f\" width=\"24\" height=\"12\" "
		"fill=\"#2e86c1\" fill-opacity=\"0.55\"/><rect x=\"10\" "
		"y=\"%.1f\" width=\"24\" height=\"12\" fill=\"url(#colored)\" "
		"stroke=\"#999\"/><text x=\"42\" y=\"%.1f\">hatched: colored, "
		"only the 4K pages of its colors in the range</text>\n",
		y, y, y + 10);
	y += 18;
	fprintf(out,
		"<path d=\"M14 %.1f l6 -10 M22 %.1f l6 -10\" stroke=\"#333\"/>"
		"<text x=\"42\" y=\"%.1f\">a break: an address range that "
		"holds nothing, not to scale</text>\n</g>\n",
		y + 11, y + 11, y + 10);
	return y + 24;
}

int map_write_svg(const struct m_system *s, const struct m_board *b, FILE *out)
{
	struct map_rows rows = { 0 };
	size_t nlanes = s->ncells + 3, i;
	struct lane *lanes = xcalloc(nlanes, sizeof(*lanes));
	struct axis a;
	double y, width, height;
	char *body = NULL;
	size_t body_len = 0;
	FILE *f;

	map_collect(s, b, &rows);
	axis_build(&a, &rows, b);
	lanes[0] = (struct lane){ .name = "hypervisor", .fill = HYP_FILL };
	for (i = 0; i < s->ncells; i++)
		lanes[1 + i] = (struct lane){ .name = s->cells[i].name,
					      .fill = cell_fills[i % 8] };
	lanes[nlanes - 2] =
		(struct lane){ .name = "shared", .fill = SHARED_FILL };
	lanes[nlanes - 1] =
		(struct lane){ .name = "devices", .fill = DEVICE_FILL };
	/* Lay out the labels first: they decide each lane's height. */
	for (i = 0; i < rows.n; i++) {
		char lines[3][128];
		struct lane *l = &lanes[rows.v[i].lane];
		double x0 = axis_x(&a, rows.v[i].pa);

		row_labels(&rows.v[i], lines);
		label_row(l, x0, label_width(lines));
	}
	y = AXIS_Y + 40; /* the RAM band first */
	for (i = 0; i < nlanes; i++) {
		bool used = lanes[i].rows || i <= s->ncells;

		lanes[i].y = y + 6;
		lanes[i].h = used ? BAR_H + 12 + lanes[i].rows * 3 * LINE_H : 0;
		memset(lanes[i].right, 0, sizeof(lanes[i].right));
		lanes[i].rows = 0;
		y += lanes[i].h;
	}
	/* The body into memory, so the canvas size can come first. */
	f = open_memstream(&body, &body_len);
	if (!f) {
		free(lanes);
		axis_free(&a);
		free(rows.v);
		return -1;
	}
	draw_axis(f, &a, y);
	for (i = 0; i < b->nram; i++) {
		double x0 = axis_x(&a, b->ram[i].base);
		double x1 = axis_x(&a, b->ram[i].base + b->ram[i].size);

		fprintf(f,
			"<g class=\"ram\"><rect x=\"%.1f\" y=\"%.1f\" "
			"width=\"%.1f\" height=\"12\" fill=\"%s\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">",
			x0, AXIS_Y + 22, x1 - x0, RAM_FILL, x0 + 2,
			AXIS_Y + 32);
		xml(f, b->ram[i].name ? b->ram[i].name : "ram");
		fputs("</text></g>\n", f);
	}
	fprintf(f, "<text x=\"10\" y=\"%.1f\">board RAM</text>\n", AXIS_Y + 32);
	for (i = 0; i < nlanes; i++) {
		if (!lanes[i].h)
			continue;
		fputs("<g class=\"lane\">", f);
		fprintf(f,
			"<text class=\"lane-name\" x=\"10\" y=\"%.1f\" "
			"font-weight=\"bold\">",
			lanes[i].y + 13);
		xml(f, lanes[i].name);
		fputs("</text>\n", f);
		fprintf(f,
			"<line x1=\"10\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#eee\"/>\n",
			lanes[i].y - 3, a.n ? a.x[a.n - 1] : LANE_X,
			lanes[i].y - 3);
		fputs("</g>\n", f);
	}
	for (i = 0; i < rows.n; i++)
		draw_row(f, &rows.v[i], &a, &lanes[rows.v[i].lane]);
	y = draw_colors(f, s, b, y + 10);
	height = draw_legend(f, y + 6);
	width = (a.n ? a.x[a.n - 1] : LANE_X) + 160;
	if (fclose(f)) {
		free(body);
		free(lanes);
		axis_free(&a);
		free(rows.v);
		return -1;
	}
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
		"height=\"%.0f\" font-family=\"monospace\" font-size=\"11\">\n"
		"<defs><pattern id=\"colored\" width=\"6\" height=\"6\" "
		"patternUnits=\"userSpaceOnUse\" "
		"patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" "
		"x2=\"0\" y2=\"6\" stroke=\"white\" stroke-width=\"2\"/>"
		"</pattern></defs>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		"<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">",
		width, height);
	xml(out, s->name);
	fputs(" on ", out);
	xml(out, b->name);
	fputs(": physical memory map</text>\n", out);
	fwrite(body, 1, body_len, out);
	fputs("</svg>\n", out);
	free(body);
	free(lanes);
	axis_free(&a);
	free(rows.v);
	return ferror(out) ? -1 : 0;
}
