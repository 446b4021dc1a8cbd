// SPDX-License-Identifier: MIT
/* Writing build outputs: every file recorded with its size and CRC-32. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "backends/backend.h"
#include "sph/blob.h"
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
