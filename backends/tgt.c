// SPDX-License-Identifier: MIT
/* Helpers shared by the Bao, Xen and FIT emitters (see tgt.h). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/tgt.h"
#include "lib/quote.h"
#include "lib/util.h"

static const struct loc no_loc;

char *tgt_dir(const char *outdir, const char *sub, struct diag_list *dl)
{
	char *path = xasprintf("%s/%s", outdir, sub);

	if (mkdir(path, 0777) && errno != EEXIST) {
		diag_report(dl, RULE_IO_ERROR, no_loc, "cannot create '%s': %s",
			    path, strerror(errno));
		free(path);
		return NULL;
	}
	return path;
}

int tgt_write(const char *path, const void *buf, size_t len,
	      struct diag_list *dl)
{
	FILE *f = fopen(path, "wb");
	int err;

	if (!f) {
		diag_report(dl, RULE_IO_ERROR, no_loc, "cannot write '%s': %s",
			    path, strerror(errno));
		return 1;
	}
	err = len && fwrite(buf, 1, len, f) != len;
	err |= fclose(f) != 0;
	if (err) {
		diag_report(dl, RULE_IO_ERROR, no_loc, "cannot write '%s': %s",
			    path, strerror(errno));
		return 1;
	}
	return 0;
}

int tgt_read(const char *path, void **buf, size_t *len)
{
	*buf = read_file(path, len);
	return *buf ? 0 : -1;
}

void tgt_text_open(struct tgt_text *t)
{
	t->buf = NULL;
	t->len = 0;
	t->f = open_memstream(&t->buf, &t->len);
	if (!t->f) {
		fputs("sphc: internal error: out of memory\n", stderr);
		exit(2);
	}
}

int tgt_text_write(struct tgt_text *t, const char *path, struct diag_list *dl)
{
	int errors;

	fclose(t->f);
	errors = tgt_write(path, t->buf, t->len, dl);
	free(t->buf);
	t->buf = NULL;
	return errors;
}

const char *tgt_system_path(const struct m_system *s)
{
	return ynode_source(s->root) ? ynode_source(s->root)->path
				     : "system.yaml";
}

char *tgt_system_label(const struct m_system *s)
{
	char *tidy = path_tidy(tgt_system_path(s)), *label;

	label = quote_comment(tidy);
	free(tidy);
	return label;
}

char *tgt_system_dir(const struct m_system *s)
{
	const char *path = tgt_system_path(s), *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

char *tgt_file_path(const struct m_system *s, const char *file)
{
	char *dir, *path;

	if (!file)
		return NULL;
	if (file[0] == '/')
		return xstrdup(file);
	dir = tgt_system_dir(s);
	path = xasprintf("%s/%s", dir, file);
	free(dir);
	return path;
}

char *tgt_image_path(const struct m_system *s, const struct m_cell *c)
{
	return tgt_file_path(s, c->image);
}

/* Drop "." and "x/.." components of an absolute path, in place. */
static void normalize(char *p)
{
	char *out = p, *in = p;

	while (*in) {
		char *seg;
		size_t n;

		while (*in == '/')
			in++;
		seg = in;
		while (*in && *in != '/')
			in++;
		n = (size_t)(in - seg);
		if (!n || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > p && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, seg, n);
		out += n;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

char *tgt_abspath(const char *path)
{
	char *cwd, *abs;

	if (path[0] == '/') {
		abs = xstrdup(path);
	} else {
		cwd = getcwd(NULL, 0);
		abs = xasprintf("%s/%s", cwd ? cwd : ".", path);
		free(cwd);
	}
	normalize(abs);
	return abs;
}

/* The components of normalized absolute path @p, in place: count. */
static size_t split(char *p, char **parts)
{
	size_t n = 0;
	char *tok;

	for (tok = strtok(p, "/"); tok; tok = strtok(NULL, "/"))
		parts[n++] = tok;
	return n;
}

char *tgt_relpath(const char *from_dir, const char *to)
{
	char *from = tgt_abspath(from_dir), *dest = tgt_abspath(to);
	char **fp = xcalloc(strlen(from) + 1, sizeof(*fp));
	char **dp = xcalloc(strlen(dest) + 1, sizeof(*dp));
	size_t nf = split(from, fp), nd = split(dest, dp), common = 0, i;
	char *rel = xstrdup(""), *next;

	while (common < nf && common < nd && !strcmp(fp[common], dp[common]))
		common++;
	for (i = common; i < nf; i++) {
		next = xasprintf("%s%s..", rel, *rel ? "/" : "");
		free(rel);
		rel = next;
	}
	for (i = common; i < nd; i++) {
		next = xasprintf("%s%s%s", rel, *rel ? "/" : "", dp[i]);
		free(rel);
		rel = next;
	}
	free(fp);
	free(dp);
	free(from);
	free(dest);
	if (!*rel) {
		free(rel);
		rel = xstrdup(".");
	}
	return rel;
}

int64_t tgt_file_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return -1;
	return (int64_t)st.st_size;
}

char *tgt_ident(const char *name, bool upper)
{
	char *id = xstrdup(name), *p;

	for (p = id; *p; p++) {
		if (!isalnum((unsigned char)*p))
			*p = '_';
		else if (upper)
			*p = (char)toupper((unsigned char)*p);
	}
	return id;
}

uint64_t tgt_cell_memory(const struct m_cell *c)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < c->nregions; i++)
		total += c->regions[i].size;
	return total;
}

bool tgt_cell_pinned(const struct m_cell *c)
{
	size_t i;

	for (i = 0; i < c->nregions; i++)
		if (c->regions[i].has_base)
			return true;
	return false;
}

struct loc tgt_cell_loc(const struct m_cell *c, bool colors)
{
	if (colors && c->colors.node)
		return ynode_loc(c->colors.node);
	return ynode_loc(c->name_node ? c->name_node : c->node);
}

bool tgt_arm32_refused(const struct m_board *b, const char *why,
		       struct diag_list *dl)
{
	if (!b->arm32)
		return false;
	diag_report(dl, RULE_TARGET_LIMIT,
		    ynode_loc(b->arch_node ? b->arch_node : b->root),
		    "%s: board %s is 32-bit ARM (arch: arm)", why, b->name);
	return true;
}

void tgt_ranges_add(struct tgt_ranges *r, uint64_t start, uint64_t size)
{
	if (!size)
		return;
	VEC_RESERVE(r->v, r->n, r->cap);
	r->v[r->n].start = start;
	r->v[r->n].end = start + size;
	r->n++;
}

static void add_place(struct tgt_ranges *r, const struct m_place *pl)
{
	if (pl->placed)
		tgt_ranges_add(r, pl->pa, pl->span);
}

void tgt_ranges_add_system(struct tgt_ranges *r, const struct m_system *s)
{
	size_t i, j;

	add_place(r, &s->hyp.memory.place);
	for (i = 0; i < s->ncells; i++)
		for (j = 0; j < s->cells[i].nregions; j++)
			add_place(r, &s->cells[i].regions[j].place);
	for (i = 0; i < s->nshared; i++)
		add_place(r, &s->shared[i].place);
}

struct span {
	uint64_t start, end;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The first of @n sorted disjoint spans that ends after @at, or @n. */
static size_t first_after(const struct span *u, size_t n, uint64_t at)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (u[mid].end > at)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * The taken ranges sorted and merged once, then each bank walked from gap
 * to gap: every step passes one merged span, so O(n log n) in all (a
 * rescan of every range per candidate was quadratic in regions).
 */
bool tgt_ranges_fit(const struct tgt_ranges *r, const struct m_board *b,
		    uint64_t size, uint64_t align, uint64_t *start)
{
	struct span *u = xcalloc(r->n + 1, sizeof(*u));
	size_t i, n = 0, k;
	bool found = false;

	for (i = 0; i < r->n; i++)
		u[i] = (struct span){ r->v[i].start, r->v[i].end };
	qsort(u, r->n, sizeof(*u), span_cmp);
	for (i = 0; i < r->n; i++) {
		if (n && u[i].start <= u[n - 1].end) {
			if (u[i].end > u[n - 1].end)
				u[n - 1].end = u[i].end;
		} else {
			u[n++] = u[i];
		}
	}
	for (i = 0; i < b->nram && !found; i++) {
		uint64_t lo = b->ram[i].base, hi = lo + b->ram[i].size;
		uint64_t cand = tgt_align_up(lo, align);

		k = first_after(u, n, cand);
		while (cand < hi && size <= hi - cand) {
			/* Aligning up may pass spans as well. */
			while (k < n && u[k].end <= cand)
				k++;
			if (k == n || u[k].start >= cand + size) {
				*start = cand;
				found = true;
				break;
			}
			cand = tgt_align_up(u[k].end, align);
		}
	}
	free(u);
	return found;
}

void tgt_ranges_free(struct tgt_ranges *r)
{
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}

uint32_t tgt_crc32(const void *buf, size_t len)
{
	static uint32_t table[256];
	const uint8_t *p = buf;
	uint32_t crc = 0xFFFFFFFFu;
	size_t i;

	if (!table[1]) {
		for (i = 0; i < 256; i++) {
			uint32_t c = (uint32_t)i;
			int k;

			for (k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	}
	for (i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
	return crc ^ 0xFFFFFFFFu;
}
