/* SPDX-License-Identifier: MIT */
/*
 * The commands of sphc as data (commands.c): what main() dispatches, which
 * options each takes, and its documentation. help.c prints it as --help
 * and as the man page sphc(1), complete.c as bash and zsh completions, so
 * the three say the same thing as the parser (options.c).
 */
#ifndef SPHC_CLI_HELP_H
#define SPHC_CLI_HELP_H

#include <stdio.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	unsigned int accept; /* OPTS_* groups, options.h */
	const char *args;    /* the operands, for the usage line */
	const char *summary; /* one line, for the list of commands */
	const char *description;
	const char *examples[4]; /* a command line, what it does; twice */
	const char *exit;	 /* the exit statuses */
	/* For the completions: the words the first operand may be (NULL:
	 * none), and a glob of the files the others are (NULL: none). */
	const char *words, *files;
};

extern const struct command commands[];
extern const char sphc_description[]; /* the overview */

/* command_find - the command called @name, or NULL. */
const struct command *command_find(const char *name);

/* help_print - the help of command @name, or the overview when NULL. */
void help_print(const char *name, FILE *out);

/* help_man - the manual page sphc(1) (man(7) macros). */
void help_man(FILE *out);

/* help_completion - the completion script for @shell ("bash", "zsh"). */
void help_completion(const char *shell, FILE *out);

#endif
