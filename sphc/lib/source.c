// SPDX-License-Identifier: MIT
/* Source files: loaded once, quoted by diagnostics. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/source.h"
#include "lib/util.h"

static unsigned int next_source_id;

/* Live sources by slot; slot 0 stands for "no source". */
static struct source **registry;
static size_t registry_cap;

static void registry_add(struct source *s)
{
	size_t i;

	/* Few sources are live at once: the first free slot is near. */
	for (i = 1; i < registry_cap && registry[i]; i++)
		;
	if (i > UINT16_MAX) {
		fputs("sphc: internal error: too many source files\n", stderr);
		exit(2);
	}
	if (i >= registry_cap) {
		size_t old = registry_cap;

		registry_cap = old ? 2 * old : 8;
		registry = xrealloc(registry, registry_cap * sizeof(*registry));
		memset(registry + old, 0,
		       (registry_cap - old) * sizeof(*registry));
	}
	registry[i] = s;
	s->slot = (uint16_t)i;
}

static void registry_remove(const struct source *s)
{
	size_t i;

	registry[s->slot] = NULL;
	for (i = 1; i < registry_cap && !registry[i]; i++)
		;
	if (i == registry_cap) { /* empty: leave nothing behind */
		free(registry);
		registry = NULL;
		registry_cap = 0;
	}
}

const struct source *source_by_slot(uint16_t slot)
{
	return slot && slot < registry_cap ? registry[slot] : NULL;
}

/*
 * Index line starts on the first quote, so quoting a line costs O(1) per
 * diagnostic, and a file that is never quoted (a clean check) costs no index.
 */
static void index_lines(struct source *s)
{
	const char *p = s->text, *end = s->text + s->len;
	uint32_t n = 1, i = 0;

	while ((p = memchr(p, '\n', end - p))) {
		n++;
		p++;
	}
	s->line_starts = xmalloc(n * sizeof(*s->line_starts));
	s->line_starts[i++] = 0;
	for (p = s->text; (p = memchr(p, '\n', end - p)); p++)
		s->line_starts[i++] = (uint32_t)(p + 1 - s->text);
	s->nlines = n;
}

struct source *source_from_memory(const char *path, const char *text,
				  size_t len)
{
	struct source *s = xcalloc(1, sizeof(*s));

	s->path = xstrdup(path);
	s->text = xmalloc(len + 1);
	memcpy(s->text, text, len);
	s->text[len] = '\0';
	s->len = len;
	s->fd = -1;
	s->id = next_source_id++;
	registry_add(s);
	return s;
}

/* Whether the file open as @f is the one @s was read from, unchanged. */
static bool same_file(const struct source *s, FILE *f)
{
	struct stat st;

	return !fstat(fileno(f), &st) && S_ISREG(st.st_mode) &&
	       (uint64_t)st.st_dev == s->dev && (uint64_t)st.st_ino == s->ino &&
	       (uint64_t)st.st_size == s->len &&
	       st.st_mtim.tv_sec == s->mtime_sec &&
	       st.st_mtim.tv_nsec == s->mtime_nsec;
}

static struct source *new_source(const char *path, const struct stat *st)
{
	struct source *s = xcalloc(1, sizeof(*s));

	s->path = xstrdup(path);
	s->fd = -1;
	s->id = next_source_id++;
	registry_add(s);
	if (S_ISREG(st->st_mode)) {
		s->dev = (uint64_t)st->st_dev;
		s->ino = (uint64_t)st->st_ino;
		s->mtime_sec = st->st_mtim.tv_sec;
		s->mtime_nsec = st->st_mtim.tv_nsec;
	}
	return s;
}

/*
 * A big regular file, opened to be streamed: the parser copies what it
 * needs, so holding the text as well would only cost its pages. NULL when
 * @path is something else (or changed between stat and open).
 */
static struct source *open_big(const char *path)
{
	struct stat st, opened;
	struct source *s;
	int fd;

	if (stat(path, &st) || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < SOURCE_DROP_MIN ||
	    (uint64_t)st.st_size > READ_MAX)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &opened) || !S_ISREG(opened.st_mode) ||
	    opened.st_ino != st.st_ino || opened.st_dev != st.st_dev ||
	    opened.st_size != st.st_size) {
		close(fd);
		return NULL;
	}
	s = new_source(path, &opened);
	s->fd = fd;
	s->len = (size_t)opened.st_size;
	return s;
}

struct source *source_load(const char *path)
{
	struct source *s = open_big(path);
	struct stat st;
	size_t len;
	char *buf;

	if (s)
		return s;
	buf = read_file_capped(path, &len, &st);
	if (!buf)
		return NULL;
	s = new_source(path, &st);
	s->text = buf;
	s->len = len;
	/* Read again only what was read in one piece, unchanged. */
	s->rereadable = S_ISREG(st.st_mode) && (uint64_t)st.st_size == len;
	return s;
}

long source_stream(struct source *s, void *buf, size_t size)
{
	ssize_t got;

	do
		got = read(s->fd, buf, size);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return -1;
	s->streamed += (size_t)got;
	if (s->streamed > READ_MAX) {
		errno = EFBIG;
		return -1;
	}
	return (long)got;
}

void source_stream_end(struct source *s)
{
	if (s->fd < 0)
		return;
	close(s->fd);
	s->fd = -1;
	/* A quote reads it again if unchanged since opened (same_file()). */
	s->rereadable = true;
}

void source_drop_text(struct source *s)
{
	if (!s->rereadable || !s->text || s->len < SOURCE_DROP_MIN)
		return;
	free(s->text);
	s->text = NULL;
}

/* Forget what source_line() read and indexed of a dropped text. */
static void drop_prefix(struct source *s)
{
	free(s->prefix);
	s->prefix = NULL;
	s->loaded = 0;
	free(s->line_starts);
	s->line_starts = NULL;
	s->nlines = s->lines_cap = 0;
}

/* Index the line starts in s->prefix[from, to). */
static void index_more(struct source *s, size_t from, size_t to)
{
	const char *p = s->prefix + from, *end = s->prefix + to;

	while ((p = memchr(p, '\n', end - p))) {
		p++;
		if (s->nlines == s->lines_cap) {
			s->lines_cap = s->lines_cap ? 2 * s->lines_cap : 1024;
			s->line_starts = xrealloc(
				s->line_starts,
				s->lines_cap * sizeof(*s->line_starts));
		}
		s->line_starts[s->nlines++] = (uint32_t)(p - s->prefix);
	}
}

/*
 * Read the next piece of a dropped text (doubling, from 64K), if the file
 * is unchanged; false at the end or once it has changed.
 */
static bool read_more(struct source *s)
{
	size_t want = s->loaded < (1u << 16) ? (1u << 16) : s->loaded;
	FILE *f;

	if (!s->rereadable || s->loaded >= s->len)
		return false;
	if (!s->prefix) {
		/* Reserved whole; only the pages read into are touched. */
		s->prefix = xmalloc(s->len + 1);
		s->line_starts = xmalloc(sizeof(*s->line_starts));
		s->line_starts[0] = 0;
		s->nlines = s->lines_cap = 1;
	}
	if (want > s->len - s->loaded)
		want = s->len - s->loaded;
	f = fopen(s->path, "rb");
	if (!f || !same_file(s, f) || fseeko(f, (off_t)s->loaded, SEEK_SET) ||
	    fread(s->prefix + s->loaded, 1, want, f) != want) {
		if (f)
			fclose(f);
		s->rereadable = false;
		return false;
	}
	fclose(f);
	index_more(s, s->loaded, s->loaded + want);
	s->loaded += want;
	s->prefix[s->loaded] = '\0';
	return true;
}

/* Line @line of a dropped text, read as far as its end. */
static const char *prefix_line(struct source *s, uint32_t line, size_t *len)
{
	const char *p, *eol, *end;

	while (!(s->prefix && (line < s->nlines || s->loaded == s->len)))
		if (!read_more(s))
			return NULL;
	if (line == 0 || line > s->nlines)
		return NULL;
	end = s->prefix + s->loaded;
	p = s->prefix + s->line_starts[line - 1];
	eol = memchr(p, '\n', end - p);
	*len = (eol ? eol : end) - p;
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	return p;
}

/* Read a dropped text again; false (and no more tries) if the file changed. */
static bool reread(struct source *s)
{
	FILE *f;
	char *buf;

	if (!s->rereadable)
		return false;
	drop_prefix(s);
	s->rereadable = false;
	f = fopen(s->path, "rb");
	if (!f)
		return false;
	buf = xmalloc(s->len + 1);
	if (!same_file(s, f) || fread(buf, 1, s->len, f) != s->len) {
		free(buf);
		fclose(f);
		return false;
	}
	fclose(f);
	buf[s->len] = '\0';
	s->text = buf;
	return true;
}

const char *source_text(struct source *s)
{
	if (!s->text)
		reread(s);
	return s->text;
}

void source_free_all(struct source *head)
{
	while (head) {
		struct source *next = head->next;

		source_stream_end(head);
		registry_remove(head);
		free(head->path);
		free(head->text);
		free(head->line_starts);
		free(head->prefix);
		free(head);
		head = next;
	}
}

const char *source_line(const struct source *src, uint32_t line, size_t *len)
{
	const char *p, *eol, *end;

	/* Text and index are caches: filling them changes nothing visible. */
	if (!src->text)
		return prefix_line((struct source *)src, line, len);
	end = src->text + src->len;
	if (!src->line_starts)
		index_lines((struct source *)src);
	if (line == 0 || line > src->nlines)
		return NULL;
	p = src->text + src->line_starts[line - 1];
	eol = memchr(p, '\n', end - p);
	*len = (eol ? eol : end) - p;
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	return p;
}
