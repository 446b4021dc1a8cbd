// SPDX-License-Identifier: MIT
/*
 * sphc - the static partitioning hypervisor compiler: command line.
 *
 * main() finds the command (`sphc SYSTEM.yaml [-o DIR]` is check, or build
 * with -o); each command is one file of sphc/cli/ and
 * parses its options with options_parse() (options.c). Only sphc/cli/
 * chooses exit statuses: 0 clean, 1 findings (errors, or warnings under
 * --werror), 2 usage, I/O or internal errors.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "lib/util.h"

static const char usage_text[] =
	"usage: sphc SYSTEM.yaml -o DIR [options]   check, then build into DIR\n"
	"       sphc SYSTEM.yaml [options]          check only\n"
	"       sphc <command> [options]\n"
	"\n"
	"commands:\n"
	"  check SYSTEM.yaml     check a system description against its board\n"
	"  map SYSTEM.yaml       print the resolved memory map (--svg FILE draws it)\n"
	"  build SYSTEM.yaml -o DIR   check, then write blobs, device trees, linker\n"
	"                        scripts, headers, manifest.json and run-qemu.sh\n"
	"                        into DIR, replaced atomically when it is empty\n"
	"                        or an earlier build (--board B, or --all-boards:\n"
	"                        one DIR/BOARD each; check options)\n"
	"                        --target jailhouse,bao,xen,fit or all: also\n"
	"                        Jailhouse .cell files (--jailhouse-revision 13|14),\n"
	"                        Bao's config.c, Xen dom0less trees, a U-Boot FIT\n"
	"                        (default on U-Boot boards; --hypervisor FILE: the\n"
	"                        runtime in it)\n"
	"  dump FILE.bin         validate an sph blob and print it\n"
	"                        (--format=yaml|json; exit 1 if invalid)\n"
	"  schema [system|board] print the JSON Schema of a file kind\n"
	"  boards                list the built-in boards\n"
	"  rules                 list every diagnostic rule id\n"
	"  import jailhouse SYSTEM.cell [CELL.cell...]   Jailhouse configs as a\n"
	"                        system description (--board B, -o FILE)\n"
	"  board import FILE.dtb a device tree as a board description\n"
	"                        (-o FILE, --name NAME)\n"
	"\n"
	"check options:\n"
	"  --board NAME|PATH             use this board instead of the system's\n"
	"  --diagnostics-format=FORMAT   text (default, on stderr), json or sarif\n"
	"                                (on stdout)\n"
	"  --werror                      warnings make the check fail\n"
	"  -W no-RULE, -Wno-RULE         silence warnings of RULE\n"
	"  --color=auto|always|never     colour text output (auto: on a terminal,\n"
	"                                never when NO_COLOR is set)\n"
	"  -q, --quiet                   no notes, and nothing when the check is\n"
	"                                clean\n"
	"\n"
	"  -h, --help      this help\n"
	"  -V, --version   print the version\n"
	"\n"
	"exit status: 0 clean, 1 findings, 2 usage, I/O or internal error\n";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "check", cmd_check },	  { "map", cmd_map },
	{ "build", cmd_build },	  { "dump", cmd_dump },
	{ "schema", cmd_schema }, { "boards", cmd_boards },
	{ "rules", cmd_rules },	  { "import", cmd_import },
	{ "board", cmd_board },
};

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
	static const char *const build_opts[] = {
		"--output",	"--all-boards",		"--target",
		"--hypervisor", "--jailhouse-revision",
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
	size_t i;

	if (argc < 2)
		return usage_error("%s", "no command given");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return SPHC_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("sphc %s\n", SPHC_VERSION);
		return SPHC_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	if (is_file_form(argv[1]))
		return short_form(argc, argv);
	return usage_error("unknown command '%s'", argv[1]);
}
