/* SPDX-License-Identifier: MIT */
/*
 * The command line's options, parsed in one place for every command, and
 * documented in the same table (opt_docs[]) that drives the parser, so
 * that --help, the man page and the shell completions (help.c) cannot
 * drift from what is accepted.
 *
 * A command calls options_parse(), which takes the groups of options
 * (OPTS_*) the command's entry in commands[] (help.c) lists; an option of
 * another group is a usage error that names the command. What is left (the
 * files and words after the command) is in argv[o->first .. argc). Only the
 * option syntax lives here; a command still says how many operands it takes and
 * which options exclude each other.
 */
#ifndef SPHC_CLI_OPTIONS_H
#define SPHC_CLI_OPTIONS_H

#include <stdbool.h>

#include "check/input.h"
#include "diag/diag.h"

#ifndef SPHC_VERSION
#define SPHC_VERSION "0.0.0-dev"
#endif

/* Groups of options, by the commands that take them. */
#define OPTS_DIAG (1u << 0)    /* --diagnostics-format --werror -W --color -q */
#define OPTS_BOARD (1u << 1)   /* --board */
#define OPTS_SVG (1u << 2)     /* --svg (map) */
#define OPTS_BUILD (1u << 3)   /* --all-boards (build) */
#define OPTS_OUTPUT (1u << 4)  /* -o, --output */
#define OPTS_NAME (1u << 5)    /* --name (import, board import) */
#define OPTS_FORMAT (1u << 6)  /* --format=yaml|json (dump) */
#define OPTS_HELPGEN (1u << 7) /* --man, --completion (help) */
#define OPTS_ALWAYS (1u << 8)  /* -h, --help: every command */
#define OPTS_TARGET                                                            \
	(1u << 9) /* --target --jailhouse-revision --hypervisor (build, check) \
		   */

/*
 * One option: how it is spelt, what it takes, and its help. @values says
 * what its argument may be, for the completions: words separated by
 * spaces, or "@board" (a board name or file), "@rule" (no-RULE of a rule
 * that can be silenced), "@file", "@dir". @only, when set, restricts this
 * entry's text to the commands it names (" build "): an option may read
 * differently for each command that takes it (-o is a directory for build,
 * a file for import). The table ends with an entry whose @group is 0.
 */
struct opt_doc {
	const char *name; /* long name without "--"; NULL: short only */
	int val;	  /* getopt's value: the short letter, or above 255 */
	const char *arg;  /* the argument's placeholder; NULL: no argument */
	unsigned int group;
	const char *values;
	const char *only;
	const char *help;
};

extern const struct opt_doc opt_docs[];

/* opt_doc_applies - whether entry @d documents an option of @cmd/@accept. */
bool opt_doc_applies(const struct opt_doc *d, const char *cmd,
		     unsigned int accept);

struct options {
	const char *board, *output, *svg, *hypervisor, *name;
	const char *format;	/* --format; NULL when not given */
	const char *completion; /* --completion; NULL when not given */
	bool all_boards, quiet, verbose, man;
	unsigned int targets;		/* TARGET_* of --target */
	bool targets_given;		/* --target was given */
	struct diag_render_opts render; /* from the OPTS_DIAG group */
	int first;			/* index of the first operand */
};

/* What options_parse() returns besides 0 and SPHC_FAILED. */
#define OPTS_HELP_SHOWN (-1)

/*
 * options_parse - the options of command @argv[0] (@argc words), from the
 * groups its entry in commands[] accepts, into @o; -W and --werror go to @dl.
 * Returns 0; OPTS_HELP_SHOWN after printing the command's help for -h or
 * --help; or SPHC_FAILED after printing a usage error. options_exit() turns the
 * last two into the command's exit status.
 */
int options_parse(int argc, char **argv, struct options *o,
		  struct diag_list *dl);

static inline int options_exit(int rc)
{
	return rc == OPTS_HELP_SHOWN ? 0 : SPHC_FAILED;
}

/* usage_error - "sphc: " @fmt (with @arg) and a hint; SPHC_FAILED. */
int usage_error(const char *fmt, const char *arg);

/*
 * options_targets - the TARGET_* a build for board @b writes: those of
 * --target, or without it sph's runtime; with the runtime, the FIT on
 * U-Boot boards (targets_default()).
 */
unsigned int options_targets(const struct options *o, const struct m_system *s,
			     const struct m_board *b);

#endif
