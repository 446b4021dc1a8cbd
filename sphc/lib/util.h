/* SPDX-License-Identifier: MIT */
/* Small helpers: allocation that cannot fail silently, string building. */
#ifndef SPHC_UTIL_H
#define SPHC_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Out of memory is an internal error: message and exit status 2. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
__attribute__((format(printf, 1, 2))) char *xasprintf(const char *fmt, ...);
char *xvasprintf(const char *fmt, va_list ap);

/* Grow a dynamic array *v of *cap elements so index n fits. */
#define VEC_RESERVE(v, n, cap)                                                 \
	do {                                                                   \
		if ((n) >= (cap)) {                                            \
			(cap) = (cap) ? 2 * (cap) : 8;                         \
			(v) = xrealloc((v), (cap) * sizeof(*(v)));             \
		}                                                              \
	} while (0)

/*
 * read_file - the whole file @path in a malloc'ed buffer with a NUL byte
 * after its @len bytes. NULL with errno set when it cannot be read.
 */
void *read_file(const char *path, size_t *len);

/* path_stem - the file name of @path without directory and suffix. */
char *path_stem(const char *path);

/* edit_distance - Levenshtein distance, for "did you mean" suggestions. */
unsigned int edit_distance(const char *a, const char *b);

#endif
