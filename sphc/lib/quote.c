// SPDX-License-Identifier: MIT
/* Quoting user strings for generated files (quote.h). */
#include <stdbool.h>
#include <string.h>

#include "lib/quote.h"
#include "lib/util.h"

static bool printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

char *quote_comment(const char *s)
{
	char *out = xmalloc(4 * strlen(s) + 1), *p = out;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\') {
			*p++ = '\\';
			*p++ = '\\';
		} else if (printable(c) && !(c == '*' && s[1] == '/')) {
			*p++ = (char)c;
		} else {
			*p++ = '\\';
			*p++ = 'x';
			*p++ = "0123456789abcdef"[c >> 4];
			*p++ = "0123456789abcdef"[c & 15];
		}
	}
	*p = '\0';
	return out;
}

void fput_sh_word(FILE *f, const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (!printable((unsigned char)*p) || strchr("$`\\\"!", *p))
			break;
	if (!*p) {
		fprintf(f, "\"%s\"", s);
		return;
	}
	fputc('\'', f);
	for (p = s; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", f);
		else
			fputc(*p, f);
	}
	fputc('\'', f);
}

void fput_c_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\' || c == '?')
			fprintf(f, "\\%c", c);
		else if (printable(c))
			fputc(c, f);
		else
			fprintf(f, "\\%03o", c);
	}
	fputc('"', f);
}

/*
 * @s double-quoted, '"' and '\' escaped, every other byte outside
 * printable ASCII as \xHH: the same in device tree source and in YAML.
 */
static void fput_quoted_hex(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (printable(c))
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
	fputc('"', f);
}

void fput_dts_string(FILE *f, const char *s)
{
	fput_quoted_hex(f, s);
}

void fput_yaml_string(FILE *f, const char *s)
{
	fput_quoted_hex(f, s);
}

char *c_ident(const char *name)
{
	char *id = xstrdup(name), *c;

	for (c = id; *c; c++) {
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A');
		else if (!(*c >= 'A' && *c <= 'Z') && !(*c >= '0' && *c <= '9'))
			*c = '_';
	}
	return id;
}

char *path_tidy(const char *path)
{
	char *out = xmalloc(strlen(path) + 2), *p = out;
	const char *seg = path;

	if (*path == '/')
		*p++ = '/';
	while (*seg) {
		size_t n = strcspn(seg, "/");

		if (n && !(n == 1 && seg[0] == '.')) {
			if (p > out && p[-1] != '/')
				*p++ = '/';
			memcpy(p, seg, n);
			p += n;
		}
		seg += n;
		while (*seg == '/')
			seg++;
	}
	if (p == out)
		*p++ = '.';
	*p = '\0';
	return out;
}
