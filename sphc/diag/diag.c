// SPDX-License-Identifier: MIT
/*
 * Diagnostics: collection, ordering and the text and JSON renderers.
 * SARIF lives in sarif.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "diag/diag.h"
#include "diag/internal.h"
#include "lib/util.h"

void diag_init(struct diag_list *dl)
{
	memset(dl, 0, sizeof(*dl));
}

static void free_one(struct diag *d);

void diag_free(struct diag_list *dl)
{
	size_t i;

	for (i = 0; i < dl->n; i++)
		free_one(&dl->v[i]);
	free(dl->v);
	memset(dl, 0, sizeof(*dl));
}

void diag_disable(struct diag_list *dl, enum rule_id rule)
{
	if (rule_table[rule].severity != DIAG_ERROR)
		dl->disabled[rule / 64] |= 1ULL << (rule % 64);
}

void diag_enable(struct diag_list *dl, enum rule_id rule)
{
	dl->disabled[rule / 64] &= ~(1ULL << (rule % 64));
}

bool diag_enabled(const struct diag_list *dl, enum rule_id rule)
{
	return !(dl->disabled[rule / 64] >> (rule % 64) & 1);
}

void diag_report(struct diag_list *dl, enum rule_id rule, struct loc loc,
		 const char *fmt, ...)
{
	enum diag_severity sev = rule_table[rule].severity;
	struct diag *d;
	va_list ap;

	dl->last_dropped = !diag_enabled(dl, rule);
	if (dl->last_dropped)
		return;
	VEC_RESERVE(dl->v, dl->n, dl->cap);
	d = &dl->v[dl->n++];
	memset(d, 0, sizeof(*d));
	d->severity = sev;
	d->rule = rule_table[rule].id;
	d->loc = loc;
	va_start(ap, fmt);
	d->msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (sev == DIAG_ERROR)
		dl->nerrors++;
	else if (sev == DIAG_WARNING)
		dl->nwarnings++;
}

void diag_note(struct diag_list *dl, struct loc loc, const char *fmt, ...)
{
	struct diag *d;
	va_list ap;

	if (dl->n == 0 || dl->last_dropped)
		return;
	d = &dl->v[dl->n - 1];
	d->notes = xrealloc(d->notes, (d->nnotes + 1) * sizeof(*d->notes));
	d->notes[d->nnotes].loc = loc;
	va_start(ap, fmt);
	d->notes[d->nnotes].msg = xvasprintf(fmt, ap);
	va_end(ap);
	d->nnotes++;
}

bool diag_failed(const struct diag_list *dl)
{
	return dl->nerrors > 0 || (dl->werror && dl->nwarnings > 0);
}

static int loc_cmp(const struct loc *a, const struct loc *b)
{
	unsigned int ia = a->src ? a->src->id + 1 : 0;
	unsigned int ib = b->src ? b->src->id + 1 : 0;

	if (ia != ib)
		return ia < ib ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

/* Stable merge sort of @n diagnostics by location; @tmp holds n / 2. */
static void sort_by_loc(struct diag *v, size_t n, struct diag *tmp)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	sort_by_loc(v, mid, tmp);
	sort_by_loc(v + mid, n - mid, tmp);
	if (loc_cmp(&v[mid - 1].loc, &v[mid].loc) <= 0)
		return; /* already in order: the common case */
	memcpy(tmp, v, mid * sizeof(*v));
	/* On a tie the left (earlier) one goes first: stable. */
	while (i < mid && j < n)
		v[k++] =
			loc_cmp(&v[j].loc, &tmp[i].loc) < 0 ? v[j++] : tmp[i++];
	while (i < mid)
		v[k++] = tmp[i++];
}

void diag_sort(struct diag_list *dl)
{
	struct diag *tmp;

	if (dl->n < 2)
		return;
	tmp = xmalloc(dl->n / 2 * sizeof(*tmp));
	sort_by_loc(dl->v, dl->n, tmp);
	free(tmp);
}

static bool same_diag(const struct diag *a, const struct diag *b)
{
	return a->loc.line == b->loc.line && a->loc.col == b->loc.col &&
	       !strcmp(a->rule, b->rule) && !strcmp(a->msg, b->msg) &&
	       (a->loc.src == b->loc.src ||
		(a->loc.src && b->loc.src &&
		 !strcmp(a->loc.src->path, b->loc.src->path)));
}

static void free_one(struct diag *d)
{
	unsigned int j;

	for (j = 0; j < d->nnotes; j++)
		free(d->notes[j].msg);
	free(d->notes);
	free(d->msg);
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

/* A hash of what same_diag() compares. */
static uint64_t diag_hash(const struct diag *d)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	if (d->loc.src)
		h = hash_bytes(h, d->loc.src->path,
			       strlen(d->loc.src->path) + 1);
	h = hash_bytes(h, &d->loc.line, sizeof(d->loc.line));
	h = hash_bytes(h, &d->loc.col, sizeof(d->loc.col));
	h = hash_bytes(h, d->rule, strlen(d->rule) + 1);
	return hash_bytes(h, d->msg, strlen(d->msg));
}

/*
 * An open-addressing set of the diagnostics of @dl by index (+ 1; 0 is an
 * empty slot), filled at most half, so a merge costs O(n), not O(n^2).
 */
struct diag_set {
	size_t *slot;
	size_t mask;
};

static void set_add(struct diag_set *set, const struct diag_list *dl,
		    size_t idx)
{
	size_t i = diag_hash(&dl->v[idx]) & set->mask;

	while (set->slot[i])
		i = (i + 1) & set->mask;
	set->slot[i] = idx + 1;
}

static bool set_has(const struct diag_set *set, const struct diag_list *dl,
		    const struct diag *d)
{
	size_t i = diag_hash(d) & set->mask;

	for (; set->slot[i]; i = (i + 1) & set->mask)
		if (same_diag(&dl->v[set->slot[i] - 1], d))
			return true;
	return false;
}

void diag_merge_unique(struct diag_list *into, struct diag_list *from)
{
	struct diag_set set;
	size_t i, size = 16;

	while (size < 2 * (into->n + from->n))
		size *= 2;
	set.slot = xcalloc(size, sizeof(*set.slot));
	set.mask = size - 1;
	for (i = 0; i < into->n; i++)
		set_add(&set, into, i);
	for (i = 0; i < from->n; i++) {
		struct diag *d = &from->v[i];

		if (set_has(&set, into, d)) {
			free_one(d);
			continue;
		}
		VEC_RESERVE(into->v, into->n, into->cap);
		into->v[into->n++] = *d;
		set_add(&set, into, into->n - 1);
		if (d->severity == DIAG_ERROR)
			into->nerrors++;
		else if (d->severity == DIAG_WARNING)
			into->nwarnings++;
	}
	free(set.slot);
	from->n = 0;
	from->nerrors = from->nwarnings = 0;
}

const char *diag_severity_name(enum diag_severity sev)
{
	switch (sev) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE:
		break;
	}
	return "note";
}

/* --- text ---------------------------------------------------------- */

#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_MAGENTA "\033[1;35m"
#define C_CYAN "\033[1;36m"
#define C_GREEN "\033[1;32m"
#define C_RESET "\033[0m"

static const char *sev_color(enum diag_severity sev)
{
	return sev == DIAG_ERROR     ? C_RED
	       : sev == DIAG_WARNING ? C_MAGENTA
				     : C_CYAN;
}

static void print_source_line(const struct loc *loc, bool color, FILE *out)
{
	const char *line;
	size_t len, i;
	int width;

	if (!loc->src || !loc->line)
		return;
	line = source_line(loc->src, loc->line, &len);
	if (!line)
		return;
	width = fprintf(out, " %5u | ", loc->line) - 3;
	fprintf(out, "%.*s\n", (int)len, line);
	fprintf(out, "%*s | ", width, "");
	/* Keep tabs so the caret lines up under the column. */
	for (i = 0; loc->col > 0 && i + 1 < loc->col && i < len; i++)
		fputc(line[i] == '\t' ? '\t' : ' ', out);
	fprintf(out, "%s^%s\n", color ? C_GREEN : "", color ? C_RESET : "");
}

/*
 * A path or message, one line: a control byte from a file name or a
 * value (a newline, an escape sequence) is shown as \xHH, so it can
 * neither forge a diagnostic line nor drive the terminal.
 */
static void put_line_text(const char *s, FILE *out)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
}

static void print_one(const struct loc *loc, enum diag_severity sev,
		      const char *msg, const char *rule,
		      const struct diag_render_opts *o, FILE *out)
{
	const char *bold = o->color ? C_BOLD : "",
		   *reset = o->color ? C_RESET : "";

	if (loc->src) {
		fputs(bold, out);
		put_line_text(loc->src->path, out);
		if (loc->line)
			fprintf(out, ":%u:%u", loc->line, loc->col);
		fprintf(out, ":%s ", reset);
	} else {
		fprintf(out, "%ssphc:%s ", bold, reset);
	}
	fprintf(out, "%s%s:%s ", o->color ? sev_color(sev) : "",
		diag_severity_name(sev), reset);
	put_line_text(msg, out);
	if (rule)
		fprintf(out, " [%s]", rule);
	fputc('\n', out);
	if (o->show_source && !(loc->src && loc->src->no_quote))
		print_source_line(loc, o->color, out);
}

static int render_text(const struct diag_list *dl,
		       const struct diag_render_opts *o, FILE *out)
{
	size_t i;
	unsigned int j;

	for (i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->v[i];

		print_one(&d->loc, d->severity, d->msg, d->rule, o, out);
		for (j = 0; j < d->nnotes; j++)
			print_one(&d->notes[j].loc, DIAG_NOTE, d->notes[j].msg,
				  NULL, o, out);
	}
	return 0;
}

/* --- JSON ---------------------------------------------------------- */

void diag_json_loc(json_t *obj, const struct loc *loc)
{
	json_object_set_new(obj, "file",
			    loc->src ? json_string(loc->src->path)
				     : json_null());
	json_object_set_new(obj, "line", json_integer(loc->line));
	json_object_set_new(obj, "column", json_integer(loc->col));
}

static json_t *diag_to_json(const struct diag *d)
{
	json_t *obj = json_object(), *related = json_array();
	unsigned int j;

	diag_json_loc(obj, &d->loc);
	json_object_set_new(obj, "severity",
			    json_string(diag_severity_name(d->severity)));
	json_object_set_new(obj, "rule", json_string(d->rule));
	json_object_set_new(obj, "message", json_string(d->msg));
	for (j = 0; j < d->nnotes; j++) {
		json_t *n = json_object();

		diag_json_loc(n, &d->notes[j].loc);
		json_object_set_new(n, "message", json_string(d->notes[j].msg));
		json_array_append_new(related, n);
	}
	json_object_set_new(obj, "related", related);
	return obj;
}

static int render_json(const struct diag_list *dl,
		       const struct diag_render_opts *o, FILE *out)
{
	json_t *root = json_object(), *arr = json_array();
	size_t i;
	int rc;

	json_object_set_new(root, "tool", json_string("sphc"));
	json_object_set_new(root, "version", json_string(o->tool_version));
	for (i = 0; i < dl->n; i++)
		json_array_append_new(arr, diag_to_json(&dl->v[i]));
	json_object_set_new(root, "diagnostics", arr);
	json_object_set_new(root, "errors", json_integer(dl->nerrors));
	json_object_set_new(root, "warnings", json_integer(dl->nwarnings));
	rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	return rc;
}

int diag_render(const struct diag_list *dl, const struct diag_render_opts *o,
		FILE *out)
{
	switch (o->format) {
	case DIAG_FORMAT_TEXT:
		return render_text(dl, o, out);
	case DIAG_FORMAT_JSON:
		return render_json(dl, o, out);
	case DIAG_FORMAT_SARIF:
		return diag_render_sarif(dl, o, out);
	}
	return -1;
}
