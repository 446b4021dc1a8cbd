// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/util.h"

static void out_of_memory(void)
{
	fputs("sphc: internal error: out of memory\n", stderr);
	exit(2);
}

/*
 * A block of megabytes (a big system's tree, text or model) is touched
 * whole: ask for huge pages in it, 512 times fewer page faults, which cost
 * more than the work on the memory. Only a hint, and only for pages not
 * yet touched.
 */
#define HUGE_PAGE ((uintptr_t)2 << 20)

static void *advise_huge(void *p, size_t n)
{
	uintptr_t start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t end = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);

	if (n >= 2 * HUGE_PAGE && end > start)
		madvise((void *)start, end - start, MADV_HUGEPAGE);
	return p;
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return advise_huge(p, n);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return advise_huge(p, n * size);
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return advise_huge(p, n);
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *s;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		out_of_memory();
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/* Read all of @fd, at most @max bytes; @size: what fstat says it holds. */
static char *read_fd(int fd, size_t size, size_t max, size_t *len)
{
	size_t cap = size < max ? size + 1 : max + 1, n = 0;
	char *buf;
	ssize_t got;
	int err;

	/* One byte more than a regular file holds, to see its end at once. */
	if (cap < 4096)
		cap = 4096;
	buf = xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			cap = cap > max / 2 ? max + 1 : 2 * cap;
			buf = xrealloc(buf, cap + 1);
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = errno;
			free(buf);
			errno = err;
			return NULL;
		}
		if (!got)
			break;
		n += (size_t)got;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void *read_file_max(const char *path, size_t max, bool regular_unbounded,
			   size_t *len, struct stat *stp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;
	struct stat st;
	char *buf = NULL;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st)) {
		err = errno;
	} else if (S_ISDIR(st.st_mode)) {
		err = EISDIR;
	} else {
		if (S_ISREG(st.st_mode) && regular_unbounded)
			max = SIZE_MAX / 2;
		if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max)
			errno = EFBIG;
		else
			buf = read_fd(fd,
				      S_ISREG(st.st_mode) ? (size_t)st.st_size
							  : 0,
				      max, len);
		err = errno;
	}
	close(fd);
	if (buf && stp)
		*stp = st;
	errno = err;
	return buf;
}

void *read_file_capped(const char *path, size_t *len, struct stat *st)
{
	return read_file_max(path, READ_MAX, false, len, st);
}

void *read_file(const char *path, size_t *len)
{
	return read_file_max(path, READ_MAX, true, len, NULL);
}

const char *read_error(int err)
{
	if (err == EFBIG)
		return "larger than " READ_MAX_TEXT
		       ", the most sphc reads of one file";
	return strerror(err);
}

unsigned int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int *row = xmalloc((lb + 1) * sizeof(*row));
	unsigned int diag, up, d;

	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			d = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < d)
				d = up + 1;
			if (row[j - 1] + 1 < d)
				d = row[j - 1] + 1;
			row[j] = d;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

char *path_stem(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	return xstrndup(base, dot && dot != base ? (size_t)(dot - base)
						 : strlen(base));
}
