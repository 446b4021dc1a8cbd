/* SPDX-License-Identifier: MIT */
/* Small helpers: allocation that cannot fail silently, string building. */
#ifndef SPHC_UTIL_H
#define SPHC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>

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
 * The most sphc reads of one input file: well above a system of a million
 * memory regions (40 MB), and a bound for inputs that never end (/dev/zero).
 */
#define READ_MAX ((size_t)256 << 20)
#define READ_MAX_TEXT "256 MiB"

/*
 * read_file_capped - the whole file @path in a malloc'ed buffer with a NUL
 * byte after its *@len bytes, read once, and (when @st is not NULL) its
 * status. NULL with errno set when it cannot be read, EFBIG when it holds
 * more than READ_MAX bytes: a regular file is refused by its size, unread.
 */
void *read_file_capped(const char *path, size_t *len, struct stat *st);

/*
 * read_file - read_file_capped() where the size is the caller's business: a
 * regular file of any size, anything else (a pipe, a device) up to READ_MAX.
 */
void *read_file(const char *path, size_t *len);

/* read_error - strerror(@err) for a failed read, in sphc's words for EFBIG. */
const char *read_error(int err);

/* path_stem - the file name of @path without directory and suffix. */
char *path_stem(const char *path);

/* edit_distance - Levenshtein distance, for "did you mean" suggestions. */
unsigned int edit_distance(const char *a, const char *b);

#endif
