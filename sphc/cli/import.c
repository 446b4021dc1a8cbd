// SPDX-License-Identifier: MIT
/*
 * sphc import jailhouse SYSTEM.cell [CELL.cell...] [--board B] [--name N]
 *                       [-o FILE]
 *
 * Jailhouse's binary configurations as an sphc description
 * (backends/jailhouse/import.c), on stdout or into FILE, so that shipped
 * configs can be migrated and checked. Exit 0 written, 1 the input has
 * errors, 2 usage or I/O error.
 */
#include <stdio.h>
#include <string.h>

#include "backends/jailhouse/jailhouse.h"
#include "cli/cli.h"

int cmd_import(int argc, char **argv)
{
	struct diag_render_opts ro = { DIAG_FORMAT_TEXT, false, false,
				       SPHC_VERSION };
	struct source *sources = NULL;
	struct options o;
	struct diag_list dl;
	int st, i;

	diag_init(&dl);
	st = options_parse(argc, argv, &o, &dl);
	if (st) {
		diag_free(&dl);
		return options_exit(st);
	}
	i = o.first;
	if (i >= argc)
		st = usage_error(
			"%s",
			"import needs a format: sphc import jailhouse SYSTEM.cell [CELL.cell...]");
	else if (strcmp(argv[i], "jailhouse"))
		st = usage_error("cannot import '%s' (formats: jailhouse)",
				 argv[i]);
	else if (++i >= argc)
		st = usage_error(
			"%s",
			"import jailhouse needs the system configuration (SYSTEM.cell)");
	if (st) {
		diag_free(&dl);
		return st;
	}
	st = jailhouse_import(argv + i, (size_t)(argc - i), o.board, o.name,
			      o.output, &dl, &sources);
	diag_render(&dl, &ro, stderr);
	if (dl.nerrors || dl.nwarnings)
		print_counts(&dl);
	source_free_all(sources);
	diag_free(&dl);
	return st;
}
