// SPDX-License-Identifier: MIT
/*
 * sphc - the static partitioning hypervisor compiler: command line.
 *
 * main() finds the command in commands[] (commands.c), or takes the
 * short form (`sphc SYSTEM.yaml [-o DIR]` is check, or build with -o);
 * each command is one file of sphc/cli/ and parses its options with
 * options_parse() (options.c). Only sphc/cli/ chooses exit statuses: 0
 * clean, 1 findings (errors, or warnings under --werror), 2 usage, I/O or
 * internal errors.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "lib/util.h"

/*
 * A first argument that is no command but a file (or an option) is the
 * short form: build when an output (or a build option) is given, else
 * check. A bare word stays an unknown command, so a typo of a command is not
 * read as a missing file.
 */
static bool is_file_form(const char *arg)
{
	struct stat st;

	return arg[0] == '-' || strchr(arg, '/') || strchr(arg, '.') ||
	       !stat(arg, &st);
}

static bool wants_build(int argc, char **argv)
{
	/* --target is check's too: it alone does not mean build. */
	static const char *const build_opts[] = {
		"--output",
		"--all-boards",
		"--hypervisor",
	};
	int i;
	size_t j;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strncmp(argv[i], "-o", 2))
			return true;
		for (j = 0; j < sizeof(build_opts) / sizeof(build_opts[0]);
		     j++) {
			size_t n = strlen(build_opts[j]);

			if (!strncmp(argv[i], build_opts[j], n) &&
			    (argv[i][n] == '\0' || argv[i][n] == '='))
				return true;
		}
	}
	return false;
}

/* sphc SYSTEM.yaml ...: run build or check with the same words. */
static int short_form(int argc, char **argv)
{
	bool build = wants_build(argc, argv);
	char **args = xcalloc((size_t)argc + 1, sizeof(*args));
	int i, rc;

	args[0] = build ? "build" : "check";
	for (i = 1; i < argc; i++)
		args[i] = argv[i];
	rc = build ? cmd_build(argc, args) : cmd_check(argc, args);
	free(args);
	return rc;
}

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
	if (c)
		return c->fn(argc - 1, argv + 1);
	if (is_file_form(argv[1]))
		return short_form(argc, argv);
	return usage_error("unknown command '%s'", argv[1]);
}
