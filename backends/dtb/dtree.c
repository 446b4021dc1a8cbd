// SPDX-License-Identifier: MIT
/* A small in-memory device tree, printed as DTS or flattened (dtree.h). */
#include <libfdt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "backends/dtb/dtree.h"
#include "lib/quote.h"
#include "lib/util.h"

struct dt_node *dt_node_new(const char *name)
{
	struct dt_node *n = xcalloc(1, sizeof(*n));

	n->name = xstrdup(name);
	return n;
}

struct dt_node *dt_add_node(struct dt_node *parent, const char *fmt, ...)
{
	struct dt_node *n;
	va_list ap;

	n = xcalloc(1, sizeof(*n));
	va_start(ap, fmt);
	n->name = xvasprintf(fmt, ap);
	va_end(ap);
	VEC_RESERVE(parent->kids, parent->nkids, parent->kids_cap);
	parent->kids[parent->nkids++] = n;
	return n;
}

void dt_node_free(struct dt_node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nkids; i++)
		dt_node_free(n->kids[i]);
	for (i = 0; i < n->nprops; i++) {
		free(n->props[i].name);
		free(n->props[i].strings);
		free(n->props[i].cells);
		free(n->props[i].comment);
	}
	free(n->kids);
	free(n->props);
	free(n->name);
	free(n->label);
	free(n->comment);
	free(n);
}

void dt_label(struct dt_node *n, const char *label)
{
	free(n->label);
	n->label = xstrdup(label);
}

void dt_comment(struct dt_node *n, const char *fmt, ...)
{
	va_list ap;

	free(n->comment);
	va_start(ap, fmt);
	n->comment = xvasprintf(fmt, ap);
	va_end(ap);
}

static struct dt_prop *add_prop(struct dt_node *n, const char *name,
				enum dt_kind kind)
{
	struct dt_prop *p;

	VEC_RESERVE(n->props, n->nprops, n->props_cap);
	p = &n->props[n->nprops++];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(name);
	p->kind = kind;
	return p;
}

void dt_prop_empty(struct dt_node *n, const char *name)
{
	add_prop(n, name, DT_EMPTY);
}

void dt_prop_strings(struct dt_node *n, const char *name, const char **values,
		     size_t count)
{
	struct dt_prop *p = add_prop(n, name, DT_STRINGS);
	size_t i, len = 0;

	for (i = 0; i < count; i++)
		len += strlen(values[i]) + 1;
	p->strings = xmalloc(len);
	p->len = len;
	len = 0;
	for (i = 0; i < count; i++) {
		size_t l = strlen(values[i]) + 1;

		memcpy(p->strings + len, values[i], l);
		len += l;
	}
}

void dt_prop_string(struct dt_node *n, const char *name, const char *value)
{
	dt_prop_strings(n, name, &value, 1);
}

struct dt_prop *dt_prop_cells(struct dt_node *n, const char *name,
			      const uint32_t *cells, size_t count, bool decimal)
{
	struct dt_prop *p = add_prop(n, name, DT_CELLS);
	size_t i;

	p->cells = xcalloc(count, sizeof(*p->cells));
	for (i = 0; i < count; i++)
		p->cells[i].v = cells[i];
	p->len = count;
	p->decimal = decimal;
	return p;
}

void dt_prop_u32(struct dt_node *n, const char *name, uint32_t value)
{
	dt_prop_cells(n, name, &value, 1, true);
}

struct dt_prop *dt_prop_u64s(struct dt_node *n, const char *name,
			     const uint64_t *values, size_t count)
{
	uint32_t *cells = xcalloc(2 * count, sizeof(*cells));
	struct dt_prop *p;
	size_t i;

	for (i = 0; i < count; i++) {
		cells[2 * i] = (uint32_t)(values[i] >> 32);
		cells[2 * i + 1] = (uint32_t)values[i];
	}
	p = dt_prop_cells(n, name, cells, 2 * count, false);
	free(cells);
	return p;
}

void dt_prop_refcells(struct dt_node *n, const char *name,
		      const struct dt_cell *cells, size_t count)
{
	struct dt_prop *p = add_prop(n, name, DT_CELLS);

	p->cells = xcalloc(count, sizeof(*p->cells));
	memcpy(p->cells, cells, count * sizeof(*cells));
	p->len = count;
	p->decimal = true;
}

void dt_prop_bytes(struct dt_node *n, const char *name, const void *data,
		   size_t len)
{
	struct dt_prop *p = add_prop(n, name, DT_BYTES);

	p->data = data;
	p->len = len;
}

void dt_prop_comment(struct dt_node *n, const char *fmt, ...)
{
	struct dt_prop *p;
	va_list ap;

	if (!n->nprops)
		return;
	p = &n->props[n->nprops - 1];
	free(p->comment);
	va_start(ap, fmt);
	p->comment = xvasprintf(fmt, ap);
	va_end(ap);
}

/* --- DTS ------------------------------------------------------------- */

static void indent(FILE *f, int depth)
{
	while (depth-- > 0)
		fputc('\t', f);
}

/*
 * Comment text: sphc's own line breaks are kept (write_comment), but
 * nothing may end the comment early.
 */
static void put_comment_text(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '*' && i + 1 < n && s[i + 1] == '/')
			fputs("* ", f);
		else
			fputc(s[i], f);
	}
}

static void write_prop(FILE *f, const struct dt_prop *p, int depth)
{
	size_t i;

	indent(f, depth);
	fputs(p->name, f);
	switch (p->kind) {
	case DT_EMPTY:
		break;
	case DT_STRINGS:
		fputs(" = ", f);
		for (i = 0; i < p->len; i += strlen(p->strings + i) + 1) {
			if (i)
				fputs(", ", f);
			fput_dts_string(f, p->strings + i);
		}
		break;
	case DT_CELLS:
		fputs(" = <", f);
		for (i = 0; i < p->len; i++) {
			if (i)
				fputc(' ', f);
			if (p->cells[i].ref)
				fprintf(f, "&%s", p->cells[i].ref);
			else if (p->decimal)
				fprintf(f, "%u", p->cells[i].v);
			else
				fprintf(f, "0x%x", p->cells[i].v);
		}
		fputc('>', f);
		break;
	case DT_BYTES:
		fprintf(f, " = [ /* %zu bytes */ ]", p->len);
		break;
	}
	fputc(';', f);
	if (p->comment) {
		fputs(" /* ", f);
		put_comment_text(f, p->comment, strlen(p->comment));
		fputs(" */", f);
	}
	fputc('\n', f);
}

static void write_comment(FILE *f, const char *text, int depth)
{
	const char *line = text, *nl;

	indent(f, depth);
	if (!strchr(text, '\n')) {
		fputs("/* ", f);
		put_comment_text(f, text, strlen(text));
		fputs(" */\n", f);
		return;
	}
	fputs("/*\n", f);
	while (*line) {
		nl = strchr(line, '\n');
		indent(f, depth);
		fputs(" * ", f);
		put_comment_text(f, line,
				 nl ? (size_t)(nl - line) : strlen(line));
		fputc('\n', f);
		if (!nl)
			break;
		line = nl + 1;
	}
	indent(f, depth);
	fputs(" */\n", f);
}

void dt_write_dts(FILE *f, const struct dt_node *n, int depth)
{
	size_t i;

	if (n->comment)
		write_comment(f, n->comment, depth);
	indent(f, depth);
	if (n->label)
		fprintf(f, "%s: ", n->label);
	fprintf(f, "%s {\n", n->name);
	for (i = 0; i < n->nprops; i++)
		write_prop(f, &n->props[i], depth + 1);
	for (i = 0; i < n->nkids; i++) {
		if (i || n->nprops)
			fputc('\n', f);
		dt_write_dts(f, n->kids[i], depth + 1);
	}
	indent(f, depth);
	fputs("};\n", f);
}

/* --- flattened ---------------------------------------------------------- */

static struct dt_node *find_label(struct dt_node *n, const char *label)
{
	struct dt_node *hit;
	size_t i;

	if (n->label && !strcmp(n->label, label))
		return n;
	for (i = 0; i < n->nkids; i++) {
		hit = find_label(n->kids[i], label);
		if (hit)
			return hit;
	}
	return NULL;
}

/* Give referenced nodes phandles in reference order; -1 on a bad label. */
static int assign_phandles(struct dt_node *root, struct dt_node *n,
			   uint32_t *next)
{
	struct dt_node *target;
	size_t i, j;

	for (i = 0; i < n->nprops; i++) {
		const struct dt_prop *p = &n->props[i];

		if (p->kind != DT_CELLS)
			continue;
		for (j = 0; j < p->len; j++) {
			if (!p->cells[j].ref)
				continue;
			target = find_label(root, p->cells[j].ref);
			if (!target)
				return -1;
			if (!target->phandle)
				target->phandle = (*next)++;
		}
	}
	for (i = 0; i < n->nkids; i++)
		if (assign_phandles(root, n->kids[i], next))
			return -1;
	return 0;
}

static size_t estimate(const struct dt_node *n)
{
	size_t size = 16 + strlen(n->name), i;

	for (i = 0; i < n->nprops; i++) {
		const struct dt_prop *p = &n->props[i];

		size += 16 + strlen(p->name) + 4;
		size += p->kind == DT_CELLS ? 4 * p->len : p->len;
	}
	for (i = 0; i < n->nkids; i++)
		size += estimate(n->kids[i]);
	return size + 8;
}

/* A cell as written to a blob: a reference becomes the phandle. */
static uint32_t cell_value(const struct dt_node *root, const struct dt_cell *c)
{
	if (!c->ref)
		return c->v;
	return find_label((struct dt_node *)root, c->ref)->phandle;
}

static int write_node(void *fdt, const struct dt_node *root,
		      const struct dt_node *n)
{
	int err;
	size_t i, j;

	err = fdt_begin_node(fdt, n == root ? "" : n->name);
	for (i = 0; !err && i < n->nprops; i++) {
		const struct dt_prop *p = &n->props[i];
		fdt32_t *cells;

		switch (p->kind) {
		case DT_EMPTY:
			err = fdt_property(fdt, p->name, NULL, 0);
			break;
		case DT_STRINGS:
			err = fdt_property(fdt, p->name, p->strings,
					   (int)p->len);
			break;
		case DT_BYTES:
			err = fdt_property(fdt, p->name, p->data, (int)p->len);
			break;
		case DT_CELLS:
			cells = xcalloc(p->len, sizeof(*cells));
			for (j = 0; j < p->len; j++) {
				uint32_t v = cell_value(root, &p->cells[j]);

				cells[j] = cpu_to_fdt32(v);
			}
			err = fdt_property(fdt, p->name, cells,
					   (int)(p->len * sizeof(*cells)));
			free(cells);
			break;
		}
	}
	if (!err && n->phandle)
		err = fdt_property_u32(fdt, "phandle", n->phandle);
	for (i = 0; !err && i < n->nkids; i++)
		err = write_node(fdt, root, n->kids[i]);
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

int dt_write_fdt(struct dt_node *root, void **blob, size_t *len)
{
	size_t size = estimate(root) + 1024;
	uint32_t next = 1;
	void *fdt;
	int err;

	if (assign_phandles(root, root, &next))
		return -FDT_ERR_NOTFOUND;
	fdt = xmalloc(size);
	err = fdt_create(fdt, (int)size);
	if (!err)
		err = fdt_finish_reservemap(fdt);
	if (!err)
		err = write_node(fdt, root, root);
	if (!err)
		err = fdt_finish(fdt);
	if (err) {
		free(fdt);
		return err;
	}
	*blob = fdt;
	*len = fdt_totalsize(fdt);
	return 0;
}
