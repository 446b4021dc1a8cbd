// SPDX-License-Identifier: MIT
/*
 * sphc - the static partitioning hypervisor compiler: command line.
 *
 * main() finds the command in commands[] (commands.c); each command is one
 * file of sphc/cli/ and parses its options with options_parse()
 * (options.c). Only sphc/cli/ chooses exit statuses: 0 clean, 1 findings
 * (errors, or warnings under --werror), 2 usage, I/O or internal errors.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2)
		return usage_error("%s", "no command given");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		help_print(NULL, stdout);
		return fflush(stdout) ? SPHC_FAILED : SPHC_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("sphc %s\n", SPHC_VERSION);
		return fflush(stdout) ? SPHC_FAILED : SPHC_OK;
	}
	c = command_find(argv[1]);
	if (!c)
		return usage_error("unknown command '%s'", argv[1]);
	return c->fn(argc - 1, argv + 1);
}
