// SPDX-License-Identifier: MIT
/*
 * sphc board import FILE.dtb [-o FILE] [--name NAME]
 *
 * A device tree as a board description (backends/dtb/board_import.c), on
 * stdout or into FILE. Exit 1 when FILE.dtb is not a device tree blob.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/dtb/board_import.h"
#include "cli/cli.h"
#include "lib/atomic.h"
#include "lib/util.h"

/* Write the board of @dtb to @output (NULL: stdout), whole or not at all. */
static int write_to(const char *output, const void *dtb, const char *name,
		    const char *path)
{
	char *tmp = NULL;
	FILE *f = output ? atomic_open(output, &tmp) : stdout;

	if (!f) {
		fprintf(stderr, "sphc: error: cannot write '%s': %s\n", output,
			strerror(errno));
		return SPHC_FAILED;
	}
	board_import(dtb, name, path, f);
	if (output ? atomic_commit(f, tmp, output) : fflush(f) != 0) {
		fprintf(stderr, "sphc: error: cannot write '%s': %s\n",
			output ? output : "stdout", strerror(errno));
		return SPHC_FAILED;
	}
	return SPHC_OK;
}

int cmd_board(int argc, char **argv)
{
	struct options o;
	struct diag_list dl;
	const char *path, *why;
	char *data, *name;
	size_t len = 0;
	int st;

	diag_init(&dl);
	st = options_parse(argc, argv, &o, &dl);
	diag_free(&dl);
	if (st)
		return options_exit(st);
	if (o.first >= argc || strcmp(argv[o.first], "import"))
		return usage_error(
			"%s",
			"usage: sphc board import FILE.dtb [-o FILE] [--name NAME]");
	if (o.first + 2 != argc)
		return usage_error("%s",
				   "board import takes exactly one FILE.dtb");
	path = argv[o.first + 1];
	data = read_file_capped(path, &len, NULL);
	if (!data) {
		fprintf(stderr,
			"sphc: error: cannot read '%s': %s [io-error]\n", path,
			read_error(errno));
		return SPHC_FAILED;
	}
	why = board_import_check(data, len);
	if (why) {
		fprintf(stderr,
			"sphc: error: '%s' is not a device tree blob: %s [bad-value]\n",
			path, why);
		free(data);
		return SPHC_FINDINGS;
	}
	name = board_import_name(o.name, o.output, path);
	st = write_to(o.output, data, name, path);
	free(name);
	free(data);
	return st;
}
