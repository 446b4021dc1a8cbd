// SPDX-License-Identifier: MIT
/* Source files: loaded once, quoted by diagnostics. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "util.h"

static unsigned int next_source_id;

struct source *source_from_memory(const char *path, const char *text, size_t len)
{
	struct source *s = xcalloc(1, sizeof(*s));

	s->path = xstrdup(path);
	s->text = xmalloc(len + 1);
	memcpy(s->text, text, len);
	s->text[len] = '\0';
	s->len = len;
	s->id = next_source_id++;
	return s;
}

struct source *source_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	struct source *s;
	int saved;

	if (!f)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 16384;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	if (ferror(f)) {
		saved = errno ? errno : EIO;
		fclose(f);
		free(buf);
		errno = saved;
		return NULL;
	}
	fclose(f);
	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->text = xrealloc(buf, len + 1);
	s->text[len] = '\0';
	s->len = len;
	s->id = next_source_id++;
	return s;
}

void source_free_all(struct source *head)
{
	while (head) {
		struct source *next = head->next;

		free(head->path);
		free(head->text);
		free(head);
		head = next;
	}
}

const char *source_line(const struct source *src, uint32_t line, size_t *len)
{
	const char *p = src->text, *end = src->text + src->len, *eol;
	uint32_t n;

	if (line == 0)
		return NULL;
	for (n = 1; n < line; n++) {
		p = memchr(p, '\n', end - p);
		if (!p)
			return NULL;
		p++;
	}
	if (p > end)
		return NULL;
	eol = memchr(p, '\n', end - p);
	*len = (eol ? eol : end) - p;
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	return p;
}
