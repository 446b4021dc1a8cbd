// SPDX-License-Identifier: MIT
/*
 * sphc check SYSTEM.yaml [--board B] [diagnostics options]
 *
 * The whole pipeline for each board of the system (or --board alone), every
 * finding printed once, then "ok for board B" for each clean board.
 */
#include <stdio.h>

#include "cli/cli.h"

static void print_summary(const struct diag_list *dl, const char *path,
			  const struct run *runs, size_t n, bool failed)
{
	size_t i;

	if (failed || dl->nerrors || dl->nwarnings)
		print_counts(dl);
	for (i = 0; i < n; i++)
		if (runs[i].status == SPHC_OK)
			printf("%s: ok for board %s (%zu cell%s)\n", path,
			       runs[i].in.board.name, runs[i].in.sys.ncells,
			       runs[i].in.sys.ncells == 1 ? "" : "s");
}

int cmd_check(int argc, char **argv)
{
	struct options o;
	struct run *runs;
	struct diag_list dl;
	enum sphc_status st;
	const char *path;
	size_t n;
	FILE *out;
	int rc;

	diag_init(&dl);
	rc = options_parse(argc, argv, &o, &dl);
	if (rc || one_system(argc, argv, &o)) {
		diag_free(&dl);
		return options_exit(rc);
	}
	path = argv[o.first];
	if (o.hypervisor && !hypervisor_file_ok(o.hypervisor, &dl)) {
		/* Reported like every finding (text, JSON, SARIF). */
		runs = NULL;
		n = 0;
		st = SPHC_FAILED;
	} else {
		runs = runs_load(path, o.board, true, &n, &o, &dl);
		st = runs_worst(runs, n);
	}
	diag_sort(&dl);
	out = o.render.format == DIAG_FORMAT_TEXT ? stderr : stdout;
	if (diag_render(&dl, &o.render, out) < 0)
		st = SPHC_FAILED;
	if (o.render.format == DIAG_FORMAT_TEXT && !(o.quiet && st == SPHC_OK))
		print_summary(&dl, path, runs, n, st != SPHC_OK);
	runs_free(runs, n);
	diag_free(&dl);
	if (fflush(stdout) != 0)
		return SPHC_FAILED;
	return st;
}
