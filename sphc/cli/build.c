// SPDX-License-Identifier: MIT
/*
 * sphc build SYSTEM.yaml [--board B | --all-boards] -o DIR
 *
 * Runs the same pipeline and diagnostics as `sphc check`; writes nothing
 * when it finds an error. Outputs go to a fresh directory beside DIR
 * (DIR.tmp.XXXXXX, same parent, so the final rename stays on one file
 * system) and replace DIR only when every file was written: an existing DIR
 * is swapped with it atomically (renameat2 RENAME_EXCHANGE; where the file
 * system lacks it, DIR is renamed aside first) and the old tree removed.
 * On any error DIR is left exactly as it was. An existing DIR is replaced
 * only when it is empty or holds a manifest.json (an earlier build), so a
 * mistyped -o cannot wipe an unrelated directory.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/backend.h"
#include "backends/targets.h"
#include "cli/cli.h"
#include "lib/util.h"

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return NULL;
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/*
 * build_one - run every backend for one resolved, checked (system, board)
 * into @dir, an existing empty directory. @system_path locates images.
 * Layout problems go to @dl (SPHC_FINDINGS); a failed write returns
 * SPHC_FAILED with a message in *@error (malloc'ed).
 */
static enum sphc_status build_one(const struct sphc_input *in,
				  const char *system_path, const char *dir,
				  unsigned int targets, const char *hypervisor,
				  struct diag_list *dl, char **error)
{
	char *sysdir = dir_of(system_path);
	enum sphc_status st = SPHC_OK;
	struct plan p;
	struct out o;

	*error = NULL;
	if (plan_build(&p, &in->sys, &in->board, sysdir, dl)) {
		plan_free(&p);
		free(sysdir);
		return SPHC_FINDINGS;
	}
	out_init(&o, dir);
	if (backend_dt(&p, &o) || backend_sph(&p, &o) || backend_ld(&p, &o) ||
	    backend_qemu(&p, &o) ||
	    targets_emit(&p, &o, targets | targets_default(&in->board),
			 hypervisor, dl) ||
	    backend_manifest(&p, &o)) {
		*error =
			xstrdup(o.error ? o.error : "cannot write the outputs");
		st = SPHC_FAILED;
	}
	out_free(&o);
	plan_free(&p);
	free(sysdir);
	return st;
}

/* --- the output directory ------------------------------------------------ */

static int rm_one(const char *path, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) ? -1 : 0;
}

static int rm_rf(const char *path)
{
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

struct target {
	char *path; /* DIR without trailing slashes */
	char *parent, *base;
	bool exists;
	char *tmp; /* the directory being filled */
};

static char *fail_msg(const char *fmt, const char *path)
{
	return xasprintf(fmt, path, strerror(errno));
}

/* May DIR be replaced? Empty, or an earlier build (has manifest.json). */
static char *target_check(struct target *t)
{
	struct stat st;
	struct dirent *e;
	bool empty = true, manifest = false;
	DIR *d;

	if (lstat(t->path, &st)) {
		if (errno == ENOENT)
			return NULL;
		return fail_msg("cannot use output directory '%s': %s",
				t->path);
	}
	if (!S_ISDIR(st.st_mode))
		return xasprintf("output '%s' exists and is not a directory",
				 t->path);
	t->exists = true;
	d = opendir(t->path);
	if (!d)
		return fail_msg("cannot read output directory '%s': %s",
				t->path);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		empty = false;
		if (!strcmp(e->d_name, "manifest.json"))
			manifest = true;
	}
	closedir(d);
	if (!empty && !manifest)
		return xasprintf(
			"refusing to replace '%s': it is not empty and holds no manifest.json of an earlier build",
			t->path);
	return NULL;
}

static char *target_init(struct target *t, const char *path)
{
	size_t n = strlen(path);
	char *slash;

	memset(t, 0, sizeof(*t));
	while (n > 1 && path[n - 1] == '/')
		n--;
	t->path = xstrndup(path, n);
	slash = strrchr(t->path, '/');
	if (!slash) {
		t->parent = xstrdup(".");
		t->base = xstrdup(t->path);
	} else {
		t->parent =
			slash == t->path
				? xstrdup("/")
				: xstrndup(t->path, (size_t)(slash - t->path));
		t->base = xstrdup(slash + 1);
	}
	if (!*t->base || !strcmp(t->base, ".") || !strcmp(t->base, ".."))
		return xasprintf(
			"'%s' cannot be an output directory: name a directory to create or replace",
			path);
	return target_check(t);
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

static char *make_beside(const struct target *t, const char *tag)
{
	char *tmpl = xasprintf("%s/%s.%s.XXXXXX", t->parent, t->base, tag);
	mode_t mask;

	if (make_dirs(t->parent) || !mkdtemp(tmpl)) {
		char *msg = fail_msg(
			"cannot create a directory beside '%s': %s", t->path);

		free(tmpl);
		fprintf(stderr, "sphc: error: %s\n", msg);
		free(msg);
		return NULL;
	}
	mask = umask(0);
	umask(mask);
	chmod(tmpl, 0777 & ~mask);
	return tmpl;
}

/* Move the finished t->tmp to t->path. */
static char *target_commit(struct target *t)
{
	char *old, *msg;

	if (!t->exists) {
		if (rename(t->tmp, t->path))
			return fail_msg(
				"cannot rename the new build to '%s': %s",
				t->path);
		return NULL;
	}
	if (!renameat2(AT_FDCWD, t->tmp, AT_FDCWD, t->path, RENAME_EXCHANGE)) {
		/* t->tmp now holds the old build. */
		if (rm_rf(t->tmp))
			fprintf(stderr,
				"sphc: warning: cannot remove the old build, now '%s': %s\n",
				t->tmp, strerror(errno));
		return NULL;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return fail_msg("cannot replace '%s': %s", t->path);
	/* No atomic exchange here: move the old build aside first. */
	old = make_beside(t, "old");
	if (!old)
		return xasprintf("cannot replace '%s'", t->path);
	if (rename(t->path, old)) {
		msg = fail_msg("cannot move '%s' aside: %s", t->path);
		rmdir(old);
		free(old);
		return msg;
	}
	if (rename(t->tmp, t->path)) {
		msg = fail_msg("cannot rename the new build to '%s': %s",
			       t->path);
		rename(old, t->path);
		free(old);
		return msg;
	}
	if (rm_rf(old))
		fprintf(stderr,
			"sphc: warning: cannot remove the old build, now '%s': %s\n",
			old, strerror(errno));
	free(old);
	return NULL;
}

static void target_free(struct target *t)
{
	if (t->tmp)
		rm_rf(t->tmp);
	free(t->tmp);
	free(t->path);
	free(t->parent);
	free(t->base);
}

/* --- the command --------------------------------------------------------- */

/* The top of an --all-boards build: which board went where. */
static int write_index(const char *dir, const struct run *runs, size_t n,
		       char **error)
{
	char *path = xasprintf("%s/manifest.json", dir);
	FILE *f = fopen(path, "w");
	size_t i;
	int rc = 0;

	if (f) {
		fputs("{\n  \"format\": \"sphc-build\",\n  \"version\": 1,\n"
		      "  \"boards\": [",
		      f);
		for (i = 0; i < n; i++)
			fprintf(f,
				"%s\n    { \"board\": \"%s\", \"dir\": \"%s\" }",
				i ? "," : "", runs[i].in.board.name,
				runs[i].subdir);
		fputs("\n  ]\n}\n", f);
	}
	if (!f || fclose(f)) {
		*error = xasprintf("cannot write '%s': %s", path,
				   strerror(errno));
		rc = -1;
	}
	free(path);
	return rc;
}

/* Build every run into a new directory and put it in place. */
static enum sphc_status build_all(const char *path, struct run *runs, size_t n,
				  const struct options *o, struct diag_list *dl)
{
	enum sphc_status st = SPHC_OK;
	struct target t;
	char *msg = target_init(&t, o->output), *dir;
	size_t i, j;

	for (i = 0; !msg && o->all_boards && i < n; i++) {
		runs[i].subdir = xstrdup(runs[i].in.board.name);
		for (j = 0; j < i; j++)
			if (!strcmp(runs[i].subdir, runs[j].subdir))
				msg = xasprintf("board '%s' is listed twice",
						runs[i].subdir);
	}
	if (!msg) {
		t.tmp = make_beside(&t, "tmp");
		if (!t.tmp)
			st = SPHC_FAILED;
	}
	for (i = 0; !msg && st == SPHC_OK && i < n; i++) {
		dir = runs[i].subdir ? xasprintf("%s/%s", t.tmp, runs[i].subdir)
				     : xstrdup(t.tmp);
		if (runs[i].subdir && mkdir(dir, 0777))
			msg = fail_msg("cannot create '%s': %s", dir);
		else
			st = build_one(&runs[i].in, path, dir, o->targets,
				       o->hypervisor, dl, &msg);
		free(dir);
	}
	if (!msg && st == SPHC_OK && o->all_boards &&
	    write_index(t.tmp, runs, n, &msg))
		st = SPHC_FAILED;
	if (!msg && st == SPHC_OK) {
		msg = target_commit(&t);
		if (!msg) {
			free(t.tmp);
			t.tmp = NULL;
		}
	}
	if (msg) {
		fprintf(stderr, "sphc: error: %s\n", msg);
		free(msg);
		if (st == SPHC_OK)
			st = SPHC_FAILED;
	}
	target_free(&t);
	return st;
}

/*
 * --hypervisor FILE is loaded at the hypervisor's memory: a regular file of
 * a size sphc reads (a FIFO would block the build, a device never end).
 */
static bool hypervisor_file_ok(const char *path)
{
	struct stat st;
	const char *why = NULL;

	if (stat(path, &st)) {
		fprintf(stderr,
			"sphc: error: cannot read the hypervisor binary '%s': %s [io-error]\n",
			path, strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if ((uint64_t)st.st_size > READ_MAX)
		why = "larger than " READ_MAX_TEXT
		      ", the most sphc reads of one file";
	if (why)
		fprintf(stderr,
			"sphc: error: the hypervisor binary '%s' is %s [io-error]\n",
			path, why);
	return !why;
}

int cmd_build(int argc, char **argv)
{
	struct options o;
	struct diag_list dl;
	enum sphc_status st;
	struct run *runs;
	const char *path;
	size_t n, i, len;
	FILE *out;

	diag_init(&dl);
	if (options_parse(argc, argv,
			  OPTS_DIAG | OPTS_BOARD | OPTS_BUILD | OPTS_OUTPUT, &o,
			  &dl) ||
	    one_system(argc, argv, &o)) {
		diag_free(&dl);
		return SPHC_FAILED;
	}
	if (!o.output || (o.board && o.all_boards)) {
		diag_free(&dl);
		return usage_error(
			"%s",
			!o.output ? "build needs an output directory: -o DIR"
				  : "give --board or --all-boards, not both");
	}
	if (o.hypervisor && !hypervisor_file_ok(o.hypervisor)) {
		diag_free(&dl);
		return SPHC_FAILED;
	}
	path = argv[o.first];
	runs = runs_load(path, o.board, o.all_boards, &n, &dl);
	st = runs_worst(runs, n);
	if (st == SPHC_OK)
		st = build_all(path, runs, n, &o, &dl);
	if (st == SPHC_OK && diag_failed(&dl))
		st = SPHC_FINDINGS;
	diag_sort(&dl);
	out = o.render.format == DIAG_FORMAT_TEXT ? stderr : stdout;
	if (diag_render(&dl, &o.render, out) < 0)
		st = SPHC_FAILED;
	if (o.render.format == DIAG_FORMAT_TEXT) {
		if (st != SPHC_OK || dl.nerrors || dl.nwarnings)
			print_counts(&dl);
		len = strlen(o.output);
		while (len > 1 && o.output[len - 1] == '/')
			len--;
		for (i = 0; st == SPHC_OK && !o.quiet && i < n; i++)
			printf("%s: built for board %s into %.*s%s%s\n", path,
			       runs[i].in.board.name, (int)len, o.output,
			       runs[i].subdir ? "/" : "",
			       runs[i].subdir ? runs[i].subdir : "");
	}
	runs_free(runs, n);
	diag_free(&dl);
	if (fflush(stdout) != 0)
		return SPHC_FAILED;
	return st;
}
