// SPDX-License-Identifier: MIT
/* Outputs that appear whole or not at all (atomic.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/atomic.h"
#include "lib/util.h"

/* What getdents64 returns; the libc readdir() may allocate. */
struct dirent64_raw {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/*
 * Remove @name in directory @dfd with system calls only (no malloc), so a
 * signal handler can use it. Output trees are a few levels deep; the depth
 * bound keeps a hostile tree from exhausting the stack.
 */
static int rm_at(int dfd, const char *name, const char *last, int depth)
{
	uint64_t buf[512];
	bool again = true;
	int fd, rc = 0, saved;
	long n, off;

	if (!unlinkat(dfd, name, 0) || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	if (depth > 16) {
		errno = ELOOP;
		return -1;
	}
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* Removing entries while reading: read again until a pass is idle. */
	while (again) {
		again = false;
		if (lseek(fd, 0, SEEK_SET) < 0)
			break;
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) >
		       0) {
			for (off = 0; off < n;) {
				const struct dirent64_raw *d =
					(const void *)((char *)buf + off);

				off += d->reclen;
				if (same(d->name, ".") || same(d->name, "..") ||
				    (last && same(d->name, last)))
					continue;
				if (rm_at(fd, d->name, NULL, depth + 1))
					rc = -1;
				else
					again = true;
			}
		}
	}
	if (last && unlinkat(fd, last, 0) && errno != ENOENT)
		rc = -1;
	saved = errno;
	close(fd);
	if (unlinkat(dfd, name, AT_REMOVEDIR) && errno != ENOENT)
		return -1;
	errno = saved;
	return rc;
}

int rm_tree(const char *path, const char *last)
{
	return rm_at(AT_FDCWD, path, last, 0);
}

/* --- the guard --------------------------------------------------------- */

static char *volatile guard_path;
static const char *volatile guard_last;
static const int guarded[] = { SIGINT, SIGTERM, SIGHUP };

static void on_signal(int sig)
{
	char *path = guard_path;

	if (path)
		rm_at(AT_FDCWD, path, guard_last, 0);
	signal(sig, SIG_DFL);
	raise(sig); /* delivered when the handler returns */
}

/* A fatal exit (out of memory: xmalloc) on the way removes it too. */
static void on_exit_cleanup(void)
{
	char *path = guard_path;

	if (path)
		rm_at(AT_FDCWD, path, guard_last, 0);
}

static void install(void)
{
	static bool done;
	struct sigaction sa, old;
	size_t i;

	if (done)
		return;
	done = true;
	atexit(on_exit_cleanup);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(guarded); i++)
		if (!sigaction(guarded[i], NULL, &old) &&
		    old.sa_handler != SIG_IGN)
			sigaction(guarded[i], &sa, NULL);
}

void tmp_guard(const char *path, const char *last)
{
	char *copy = path ? xstrdup(path) : NULL, *prev;
	sigset_t all, old;

	if (path)
		install();
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	prev = guard_path;
	guard_path = copy;
	guard_last = last;
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(prev);
}

/* --- files ------------------------------------------------------------- */

FILE *atomic_open(const char *path, char **tmp)
{
	mode_t mask = umask(0);
	FILE *f;
	int fd, e;

	umask(mask);
	*tmp = xasprintf("%s.tmp.XXXXXX", path);
	fd = mkstemp(*tmp);
	if (fd < 0) {
		e = errno;
		free(*tmp);
		*tmp = NULL;
		errno = e;
		return NULL;
	}
	tmp_guard(*tmp, NULL);
	/* mkstemp makes 0600; give what fopen() would have. */
	if (fchmod(fd, 0666 & ~mask) || !(f = fdopen(fd, "w"))) {
		e = errno;
		close(fd);
		atomic_abort(NULL, *tmp);
		*tmp = NULL;
		errno = e;
		return NULL;
	}
	return f;
}

int atomic_commit(FILE *f, char *tmp, const char *path)
{
	int e;

	if (ferror(f) || fflush(f) || fsync(fileno(f))) {
		e = errno ? errno : EIO;
		atomic_abort(f, tmp);
		errno = e;
		return -1;
	}
	if (fclose(f) || rename(tmp, path)) {
		e = errno;
		atomic_abort(NULL, tmp);
		errno = e;
		return -1;
	}
	tmp_guard(NULL, NULL);
	free(tmp);
	return 0;
}

void atomic_abort(FILE *f, char *tmp)
{
	if (f)
		fclose(f);
	if (tmp)
		unlink(tmp);
	tmp_guard(NULL, NULL);
	free(tmp);
}
