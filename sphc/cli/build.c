// SPDX-License-Identifier: MIT
/*
 * sphc build SYSTEM.yaml [--board B | --all-boards] -o DIR
 *
 * Runs the same pipeline and diagnostics as `sphc check`; writes nothing
 * when it finds an error. Outputs go to a fresh directory beside DIR that
 * replaces DIR only when every file was written (struct out_dir,
 * backends/out.c); on any error or a SIGINT, SIGTERM or SIGHUP, DIR is left
 * exactly as it was. An existing DIR is replaced only when it is empty or
 * an earlier build, so a mistyped -o cannot wipe an unrelated directory.
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
	if (plan_build(&p, &in->sys, &in->board, sysdir, targets & TARGET_SPH,
		       dl)) {
		plan_free(&p);
		free(sysdir);
		return SPHC_FINDINGS;
	}
	out_init(&o, dir);
	if (backend_dt(&p, &o) || (p.runtime && backend_sph(&p, &o)) ||
	    backend_ld(&p, &o) || (p.runtime && backend_qemu(&p, &o)) ||
	    targets_emit(&p, &o, targets, hypervisor, dl) ||
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
	struct out_dir t;
	char *msg = NULL, *dir;
	bool opened = false;
	size_t i, j;

	for (i = 0; !msg && o->all_boards && i < n; i++) {
		runs[i].subdir = xstrdup(runs[i].in.board.name);
		for (j = 0; j < i; j++)
			if (!strcmp(runs[i].subdir, runs[j].subdir))
				msg = xasprintf("board '%s' is listed twice",
						runs[i].subdir);
	}
	if (!msg) {
		msg = out_dir_open(&t, o->output);
		opened = true;
	}
	for (i = 0; !msg && st == SPHC_OK && i < n; i++) {
		dir = runs[i].subdir ? xasprintf("%s/%s", t.tmp, runs[i].subdir)
				     : xstrdup(t.tmp);
		/* Each board's directory is a build of its own. */
		if (runs[i].subdir && mkdir(dir, 0777))
			msg = xasprintf("cannot create '%s': %s", dir,
					strerror(errno));
		else if (runs[i].subdir)
			msg = out_dir_mark(dir);
		if (!msg)
			st = build_one(&runs[i].in, path, dir,
				       options_targets(o, &runs[i].in.sys,
						       &runs[i].in.board),
				       o->hypervisor, dl, &msg);
		free(dir);
	}
	if (!msg && st == SPHC_OK && o->all_boards &&
	    write_index(t.tmp, runs, n, &msg))
		st = SPHC_FAILED;
	if (!msg && st == SPHC_OK)
		msg = out_dir_commit(&t);
	if (msg) {
		fprintf(stderr, "sphc: error: %s\n", msg);
		free(msg);
		if (st == SPHC_OK)
			st = SPHC_FAILED;
	}
	if (opened)
		out_dir_close(&t);
	return st;
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
	int rc;

	diag_init(&dl);
	rc = options_parse(argc, argv, &o, &dl);
	if (rc || one_system(argc, argv, &o)) {
		diag_free(&dl);
		return options_exit(rc);
	}
	if (!o.output || (o.board && o.all_boards)) {
		diag_free(&dl);
		return usage_error(
			"%s",
			!o.output ? "build needs an output directory: -o DIR"
				  : "give --board or --all-boards, not both");
	}
	path = argv[o.first];
	if (o.hypervisor && !hypervisor_file_ok(o.hypervisor, &dl)) {
		/* Reported like every finding (text, JSON, SARIF). */
		runs = NULL;
		n = 0;
		st = SPHC_FAILED;
	} else {
		runs = runs_load(path, o.board, o.all_boards, &n, &o, &dl);
		st = runs_worst(runs, n);
		if (st == SPHC_OK)
			st = build_all(path, runs, n, &o, &dl);
	}
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
