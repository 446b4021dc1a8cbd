// SPDX-License-Identifier: MIT
/*
 * Test driver for the Jailhouse backend until `sphc build --target
 * jailhouse` calls it: check a system like `sphc check`, then write
 * the .cell files into OUTDIR/jailhouse.
 *
 *   jailhouse-emit SYSTEM.yaml OUTDIR [BOARD [REVISION]]
 *
 * Exit status as sphc's: 0 written, 1 findings, 2 usage or I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "diag/diag.h"
#include "check/input.h"
#include "backends/jailhouse/jailhouse.h"

int main(int argc, char **argv)
{
	struct diag_render_opts ro = { DIAG_FORMAT_TEXT, false, true, "test" };
	struct sphc_input in;
	struct diag_list dl;
	enum sphc_status st;
	int revision = 14;

	if (argc < 3 || argc > 5) {
		fputs("usage: jailhouse-emit SYSTEM.yaml OUTDIR [BOARD [REVISION]]\n",
		      stderr);
		return SPHC_FAILED;
	}
	if (argc == 5)
		revision = atoi(argv[4]);
	diag_init(&dl);
	st = input_load(&in, argv[1], argc >= 4 && argv[3][0] ? argv[3] : NULL,
			0, &dl);
	if (st == SPHC_OK) {
		mkdir(argv[2], 0777);
		if (jailhouse_emit(&in.sys, &in.board, revision, argv[2], &dl))
			st = SPHC_FINDINGS;
	}
	diag_sort(&dl);
	diag_render(&dl, &ro, stderr);
	input_free(&in);
	diag_free(&dl);
	return st;
}
