// SPDX-License-Identifier: MIT
/* What the commands share: running the pipeline per board, operands. */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backends/targets.h"
#include "check/check.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "lib/util.h"

struct run *runs_load(const char *path, const char *board, bool every_board,
		      size_t *np, const struct options *o, struct diag_list *dl)
{
	struct input_system *sys = input_system_read(path, dl);
	size_t n = every_board && !board ? input_system_boards(sys) : 1, i;
	unsigned int targets;
	struct run *runs = xcalloc(n, sizeof(*runs));

	for (i = 0; i < n; i++) {
		struct diag_list one = *dl;

		/* Same settings (-W, --werror), separate findings. */
		one.v = NULL;
		one.n = one.cap = 0;
		one.nerrors = one.nwarnings = 0;
		runs[i].status = input_load_system(&runs[i].in, sys, board,
						   (unsigned int)i, &one);
		/* The board is known once the rules ran. */
		targets = o && runs[i].in.checked
				  ? options_targets(o, &runs[i].in.sys,
						    &runs[i].in.board)
				  : 0;
		/* What only a build that includes sph's runtime needs. */
		if (targets & TARGET_SPH) {
			if (runs[i].status == SPHC_OK)
				check_runtime(&runs[i].in.sys,
					      &runs[i].in.board, &one);
			/* 32-bit ARM: check_runtime() refused it already. */
			if (!runs[i].in.board.arm32)
				check_layout(&runs[i].in.sys, &runs[i].in.board,
					     &one);
		}
		/* The other targets' limits, on a model free of errors. */
		if (runs[i].status == SPHC_OK)
			targets_check(&runs[i].in.sys, &runs[i].in.board,
				      targets, o ? o->hypervisor : NULL, &one);
		if (runs[i].status == SPHC_OK && diag_failed(&one))
			runs[i].status = SPHC_FINDINGS;
		diag_merge_unique(dl, &one);
		free(one.v);
	}
	input_system_put(sys);
	*np = n;
	return runs;
}

enum sphc_status runs_worst(const struct run *runs, size_t n)
{
	enum sphc_status st = SPHC_OK;
	size_t i;

	for (i = 0; i < n; i++)
		if (runs[i].status > st)
			st = runs[i].status;
	return st;
}

void runs_free(struct run *runs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		input_free(&runs[i].in);
		free(runs[i].subdir);
	}
	free(runs);
}

int one_system(int argc, char **argv, const struct options *o)
{
	if (o->first == argc - 1)
		return 0;
	return usage_error(o->first >= argc
				   ? "%s needs one SYSTEM.yaml file"
				   : "%s takes exactly one SYSTEM.yaml file",
			   argv[0]);
}

void print_counts(const struct diag_list *dl)
{
	fprintf(stderr, "%u error%s, %u warning%s\n", dl->nerrors,
		dl->nerrors == 1 ? "" : "s", dl->nwarnings,
		dl->nwarnings == 1 ? "" : "s");
}

/*
 * --hypervisor FILE is loaded at the hypervisor's memory: a regular file of
 * a size sphc reads (a FIFO would block the build, a device never end).
 */
bool hypervisor_file_ok(const char *path, struct diag_list *dl)
{
	static const struct loc nowhere;
	struct stat st;
	const char *why = NULL;

	if (stat(path, &st)) {
		diag_report(dl, RULE_IO_ERROR, nowhere,
			    "cannot read the hypervisor binary '%s': %s", path,
			    strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if ((uint64_t)st.st_size > READ_MAX)
		why = "larger than " READ_MAX_TEXT
		      ", the most sphc reads of one file";
	if (why)
		diag_report(dl, RULE_IO_ERROR, nowhere,
			    "the hypervisor binary '%s' is %s", path, why);
	return !why;
}
