// SPDX-License-Identifier: MIT
/*
 * Writing build outputs: every file recorded with its size and CRC-32; the
 * build directory, replaced whole and only when sphc wrote it (backend.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "backends/backend.h"
#include "sph/blob.h"
#include "lib/atomic.h"
#include "lib/util.h"

void out_init(struct out *o, const char *dir)
{
	memset(o, 0, sizeof(*o));
	o->dir = xstrdup(dir);
}

void out_free(struct out *o)
{
	size_t i;

	for (i = 0; i < o->nfiles; i++)
		free(o->files[i].path);
	free(o->files);
	free(o->dir);
	free(o->error);
	memset(o, 0, sizeof(*o));
}

static int out_fail(struct out *o, const char *path, int err)
{
	if (!o->error)
		o->error =
			xasprintf("cannot write '%s': %s", path, strerror(err));
	return -1;
}

/* Create the directories leading to @path (a file below o->dir). */
static int make_parents(struct out *o, char *path)
{
	char *slash = path + strlen(o->dir) + 1;

	while ((slash = strchr(slash, '/'))) {
		*slash = '\0';
		if (mkdir(path, 0777) && errno != EEXIST) {
			int e = errno;

			*slash = '/';
			return out_fail(o, path, e);
		}
		*slash = '/';
		slash++;
	}
	return 0;
}

int out_write(struct out *o, const char *rel, const void *buf, size_t len,
	      bool exec)
{
	char *path = xasprintf("%s/%s", o->dir, rel);
	struct out_file *f;
	FILE *fp;
	int rc = -1;

	if (o->error || make_parents(o, path))
		goto done;
	fp = fopen(path, "wb");
	if (!fp) {
		out_fail(o, path, errno);
		goto done;
	}
	if (len && fwrite(buf, 1, len, fp) != len) {
		out_fail(o, path, errno);
		fclose(fp);
		goto done;
	}
	if (fclose(fp)) {
		out_fail(o, path, errno);
		goto done;
	}
	if (exec) {
		mode_t mask = umask(0);

		umask(mask);
		if (chmod(path, 0777 & ~mask)) {
			out_fail(o, path, errno);
			goto done;
		}
	}
	VEC_RESERVE(o->files, o->nfiles, o->cap);
	f = &o->files[o->nfiles++];
	f->path = xstrdup(rel);
	f->size = len;
	f->crc32 = sph_crc32(0, buf, len);
	rc = 0;
done:
	free(path);
	return rc;
}

int out_text(struct out *o, const char *rel, const char *text, bool exec)
{
	return out_write(o, rel, text, strlen(text), exec);
}

/* --- the build directory ------------------------------------------------- */

/* The marker's first line; the ID makes an accidental match impossible. */
static const char marker_magic[] =
	"sphc build directory 7c3e9b52-1d4a-4b8f-a0e6-52f18c9d3a71\n";
static const char marker_text[] =
	"sphc replaces this directory on every build: keep nothing of your own here.\n";

static char *fail_msg(const char *fmt, const char *path)
{
	return xasprintf(fmt, path, strerror(errno));
}

/*
 * The marker of directory @dir opened, when it is one sphc wrote: a regular
 * file (not a link) starting with marker_magic. -1 otherwise.
 */
static int marker_open(const char *dir)
{
	char *path = xasprintf("%s/" OUT_MARKER, dir);
	char buf[sizeof(marker_magic)];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	ssize_t n;

	free(path);
	if (fd < 0)
		return -1;
	n = fstat(fd, &st) || !S_ISREG(st.st_mode)
		    ? -1
		    : read(fd, buf, sizeof(marker_magic) - 1);
	if (n != (ssize_t)sizeof(marker_magic) - 1 ||
	    memcmp(buf, marker_magic, sizeof(marker_magic) - 1)) {
		close(fd);
		return -1;
	}
	return fd;
}

char *out_dir_mark(const char *dir)
{
	char *path = xasprintf("%s/" OUT_MARKER, dir), *msg = NULL;
	FILE *f = fopen(path, "wx");

	if (!f || fputs(marker_magic, f) == EOF ||
	    fputs(marker_text, f) == EOF) {
		msg = fail_msg("cannot write '%s': %s", path);
		if (f)
			fclose(f);
	} else if (fclose(f)) {
		msg = fail_msg("cannot write '%s': %s", path);
	}
	free(path);
	return msg;
}

/* May DIR be replaced? When it is empty or sphc wrote it. */
static char *target_check(struct out_dir *d)
{
	struct stat st;
	struct dirent *e;
	bool empty = true;
	DIR *dir;
	int fd;

	if (lstat(d->path, &st)) {
		if (errno == ENOENT)
			return NULL;
		return fail_msg("cannot use output directory '%s': %s",
				d->path);
	}
	if (!S_ISDIR(st.st_mode))
		return xasprintf("output '%s' exists and is not a directory",
				 d->path);
	d->exists = true;
	fd = marker_open(d->path);
	if (fd >= 0) {
		close(fd);
		return NULL;
	}
	dir = opendir(d->path);
	if (!dir)
		return fail_msg("cannot read output directory '%s': %s",
				d->path);
	while (empty && (e = readdir(dir)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(dir);
	if (!empty)
		return xasprintf(
			"refusing to replace '%s': sphc did not write it (it is not empty and has no " OUT_MARKER
			" marker of an earlier build); remove it yourself or choose another -o",
			d->path);
	return NULL;
}

/*
 * Remove DIR.tmp.XXXXXX and DIR.old.XXXXXX that a killed sphc left: only
 * those it marked, and not one another sphc is filling (it holds a lock on
 * the marker).
 */
static void remove_stale(const struct out_dir *d)
{
	size_t n = strlen(d->base);
	struct dirent *e;
	DIR *dir = opendir(d->parent);

	if (!dir)
		return;
	while ((e = readdir(dir))) {
		const char *tag = e->d_name + n;
		char *path;
		int fd;

		if (strncmp(e->d_name, d->base, n) ||
		    (strncmp(tag, ".tmp.", 5) && strncmp(tag, ".old.", 5)) ||
		    strlen(tag + 5) != 6)
			continue;
		path = xasprintf("%s/%s", d->parent, e->d_name);
		fd = marker_open(path);
		if (fd >= 0 && !flock(fd, LOCK_EX | LOCK_NB) &&
		    rm_tree(path, OUT_MARKER))
			fprintf(stderr,
				"sphc: warning: cannot remove '%s', left by an interrupted build: %s\n",
				path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(path);
	}
	closedir(dir);
}

/* mkdir -p @path; errno is set on failure. */
static int make_dirs(const char *path)
{
	char *p = xstrdup(path), *s = p;
	struct stat st;
	int rc = 0;

	while (!rc && (s = strchr(s + 1, '/'))) {
		*s = '\0';
		if (stat(p, &st) && mkdir(p, 0777) && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (!rc && stat(p, &st) && mkdir(p, 0777) && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

/* A new directory DIR.@tag.XXXXXX; NULL with errno set. */
static char *make_beside(const struct out_dir *d, const char *tag)
{
	char *tmpl = xasprintf("%s/%s.%s.XXXXXX", d->parent, d->base, tag);
	mode_t mask;

	if (make_dirs(d->parent) || !mkdtemp(tmpl)) {
		int e = errno;

		free(tmpl);
		errno = e;
		return NULL;
	}
	mask = umask(0);
	umask(mask);
	chmod(tmpl, 0777 & ~mask);
	return tmpl;
}

char *out_dir_open(struct out_dir *d, const char *path)
{
	size_t n = strlen(path);
	char *slash, *msg;

	memset(d, 0, sizeof(*d));
	d->lock = -1;
	while (n > 1 && path[n - 1] == '/')
		n--;
	d->path = xstrndup(path, n);
	slash = strrchr(d->path, '/');
	if (!slash) {
		d->parent = xstrdup(".");
		d->base = xstrdup(d->path);
	} else {
		d->parent =
			slash == d->path
				? xstrdup("/")
				: xstrndup(d->path, (size_t)(slash - d->path));
		d->base = xstrdup(slash + 1);
	}
	if (!*d->base || !strcmp(d->base, ".") || !strcmp(d->base, ".."))
		return xasprintf(
			"'%s' cannot be an output directory: name a directory to create or replace",
			path);
	msg = target_check(d);
	if (msg)
		return msg;
	remove_stale(d);
	d->tmp = make_beside(d, "tmp");
	if (!d->tmp)
		return fail_msg("cannot create a directory beside '%s': %s",
				d->path);
	tmp_guard(d->tmp, OUT_MARKER);
	msg = out_dir_mark(d->tmp);
	if (msg)
		return msg;
	/* Held until sphc ends: a concurrent build leaves this one alone. */
	d->lock = marker_open(d->tmp);
	if (d->lock >= 0)
		flock(d->lock, LOCK_EX | LOCK_NB);
	return NULL;
}

/* No atomic exchange here: move the old build aside first (to *@old). */
static char *commit_aside(struct out_dir *d, char **old)
{
	char *msg = NULL;

	*old = make_beside(d, "old");
	if (!*old)
		return fail_msg("cannot create a directory beside '%s': %s",
				d->path);
	if (rename(d->path, *old)) {
		msg = fail_msg("cannot move '%s' aside: %s", d->path);
		rmdir(*old);
	} else if (rename(d->tmp, d->path)) {
		msg = fail_msg("cannot rename the new build to '%s': %s",
			       d->path);
		rename(*old, d->path);
	}
	if (msg) {
		free(*old);
		*old = NULL;
	} else {
		free(d->tmp);
		d->tmp = NULL;
	}
	return msg;
}

char *out_dir_commit(struct out_dir *d)
{
	char *msg = NULL, *old = NULL;
	sigset_t all, saved;

	/* A signal between two renames could leave no DIR at all. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &saved);
	if (!d->exists) {
		if (rename(d->tmp, d->path))
			msg = fail_msg(
				"cannot rename the new build to '%s': %s",
				d->path);
		else {
			free(d->tmp);
			d->tmp = NULL;
		}
	} else if (!renameat2(AT_FDCWD, d->tmp, AT_FDCWD, d->path,
			      RENAME_EXCHANGE)) {
		old = d->tmp; /* it now holds the old build */
		d->tmp = NULL;
	} else if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
		msg = fail_msg("cannot replace '%s': %s", d->path);
	} else {
		msg = commit_aside(d, &old);
	}
	if (!d->tmp)
		tmp_guard(old, OUT_MARKER);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (old) {
		if (rm_tree(old, OUT_MARKER))
			fprintf(stderr,
				"sphc: warning: cannot remove the old build, now '%s': %s\n",
				old, strerror(errno));
		tmp_guard(NULL, NULL);
		free(old);
	}
	return msg;
}

void out_dir_close(struct out_dir *d)
{
	if (d->tmp) {
		rm_tree(d->tmp, OUT_MARKER);
		tmp_guard(NULL, NULL);
	}
	if (d->lock >= 0)
		close(d->lock);
	free(d->tmp);
	free(d->path);
	free(d->parent);
	free(d->base);
	memset(d, 0, sizeof(*d));
	d->lock = -1;
}
