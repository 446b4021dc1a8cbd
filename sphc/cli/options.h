/* SPDX-License-Identifier: MIT */
/*
 * The command line's options, parsed in one place for every command.
 *
 * A command calls options_parse() with the groups of options it takes
 * (OPTS_*); an option of another group is a usage error that names the
 * command. What is left (the files and words after the command) is in
 * argv[o->first .. argc). Only the option syntax lives here; a command
 * still says how many operands it takes and which options exclude each
 * other.
 */
#ifndef SPHC_CLI_OPTIONS_H
#define SPHC_CLI_OPTIONS_H

#include <stdbool.h>

#include "diag/diag.h"

#ifndef SPHC_VERSION
#define SPHC_VERSION "0.0.0-dev"
#endif

/* Groups of options, by the commands that take them. */
#define OPTS_DIAG (1u << 0)   /* --diagnostics-format --werror -W --color -q */
#define OPTS_BOARD (1u << 1)  /* --board */
#define OPTS_SVG (1u << 2)    /* --svg (map) */
#define OPTS_BUILD (1u << 3)  /* --all-boards --hypervisor (build) */
#define OPTS_OUTPUT (1u << 4) /* -o, --output */
#define OPTS_NAME (1u << 5)   /* --name (import, board import) */
#define OPTS_FORMAT (1u << 6) /* --format=yaml|json (dump) */
#define OPTS_TARGET                                                            \
	(1u << 7) /* --target --jailhouse-revision (build, check)              \
		   */

struct options {
	const char *board, *output, *svg, *hypervisor, *name;
	const char *format; /* --format; NULL when not given */
	bool all_boards, quiet;
	unsigned int targets;		/* TARGET_* of --target */
	bool targets_given;		/* --target was given */
	struct diag_render_opts render; /* from the OPTS_DIAG group */
	int first;			/* index of the first operand */
};

/*
 * options_parse - the options of command @argv[0] (@argc words), from the
 * groups in @accept, into @o; -W and --werror go to @dl. Returns 0, or
 * SPHC_FAILED after printing a usage error.
 */
int options_parse(int argc, char **argv, unsigned int accept, struct options *o,
		  struct diag_list *dl);

/* usage_error - "sphc: " @fmt (with @arg) and a hint; SPHC_FAILED. */
int usage_error(const char *fmt, const char *arg);

/*
 * options_targets - the TARGET_* a build for board @b writes: those of
 * --target, or without it sph's runtime; with the runtime, the FIT on
 * U-Boot boards (targets_default()).
 */
unsigned int options_targets(const struct options *o, const struct m_board *b);

#endif
