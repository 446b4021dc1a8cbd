// SPDX-License-Identifier: MIT
/*
 * sphc map SYSTEM.yaml [--board B] [--svg FILE] [diagnostics options]
 *
 * The resolved memory map of one board as a table on stdout, and drawn
 * into FILE with --svg (backends/map/).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backends/map/map.h"
#include "cli/cli.h"
#include "lib/atomic.h"

/* The drawing, into @path whole or not at all. */
static int write_svg(const char *path, const struct sphc_input *in)
{
	char *tmp;
	FILE *f = atomic_open(path, &tmp);

	if (!f) {
		fprintf(stderr, "sphc: error: cannot write '%s': %s\n", path,
			strerror(errno));
		return SPHC_FAILED;
	}
	if (map_write_svg(&in->sys, &in->board, f)) {
		atomic_abort(f, tmp);
		fprintf(stderr, "sphc: error: cannot write '%s'\n", path);
		return SPHC_FAILED;
	}
	if (atomic_commit(f, tmp, path)) {
		fprintf(stderr, "sphc: error: cannot write '%s': %s\n", path,
			strerror(errno));
		return SPHC_FAILED;
	}
	return SPHC_OK;
}

int cmd_map(int argc, char **argv)
{
	struct options o;
	struct sphc_input in;
	struct diag_list dl;
	enum sphc_status st;
	int rc;

	diag_init(&dl);
	rc = options_parse(argc, argv, &o, &dl);
	if (rc || one_system(argc, argv, &o)) {
		diag_free(&dl);
		return options_exit(rc);
	}
	st = input_load(&in, argv[o.first], o.board, 0, &dl);
	diag_sort(&dl);
	diag_render(&dl, &o.render, stderr);
	if (st == SPHC_OK) {
		map_print_table(&in.sys, &in.board, stdout);
		if (o.svg)
			st = write_svg(o.svg, &in);
	}
	input_free(&in);
	diag_free(&dl);
	return st;
}
