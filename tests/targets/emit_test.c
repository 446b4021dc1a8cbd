// SPDX-License-Identifier: MIT
/*
 * Drive the target emitters without `sphc build`:
 *   emit_test SYSTEM.yaml BOARD OUTDIR TARGET...
 * TARGET is bao, xen, fit or fit=HYPERVISOR (the runtime binary). Loads
 * and checks the system like `sphc check --board BOARD`, then runs each
 * emitter into OUTDIR (which must exist). Diagnostics go to stderr; exit 0
 * when every emitter succeeded.
 */
#include <stdio.h>
#include <string.h>

#include "bao.h"
#include "diag.h"
#include "fit.h"
#include "input.h"
#include "xen.h"

int main(int argc, char **argv)
{
	struct diag_render_opts ro = { .format = DIAG_FORMAT_TEXT };
	struct sphc_input in;
	struct diag_list dl;
	enum sphc_status st;
	int i, errors = 0;

	if (argc < 5) {
		fputs("usage: emit_test SYSTEM.yaml BOARD OUTDIR TARGET...\n",
		      stderr);
		return 2;
	}
	diag_init(&dl);
	st = input_load(&in, argv[1], argv[2], 0, &dl);
	if (st == SPHC_OK) {
		const struct m_system *s = &in.sys;
		const struct m_board *b = &in.board;

		for (i = 4; i < argc; i++) {
			const char *t = argv[i], *dir = argv[3];

			if (!strcmp(t, "bao"))
				errors += bao_emit(s, b, dir, &dl);
			else if (!strcmp(t, "xen"))
				errors += xen_emit(s, b, dir, &dl);
			else if (!strcmp(t, "fit"))
				errors += fit_emit(s, b, dir, &dl);
			else if (!strncmp(t, "fit=", 4))
				errors += fit_emit_hyp(s, b, dir, t + 4, &dl);
			else
				errors++, fprintf(stderr,
						  "emit_test: unknown target '%s'\n",
						  t);
		}
	}
	diag_sort(&dl);
	diag_render(&dl, &ro, stderr);
	input_free(&in);
	diag_free(&dl);
	return st != SPHC_OK ? (int)st : errors ? 1 : 0;
}
