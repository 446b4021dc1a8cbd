// SPDX-License-Identifier: MIT
/*
 * sphc - the static partitioning hypervisor compiler: command line.
 *
 * main() finds the command; each command is one file of sphc/cli/ and
 * parses its options with options_parse() (options.c). Only sphc/cli/
 * chooses exit statuses: 0 clean, 1 findings (errors, or warnings under
 * --werror), 2 usage, I/O or internal errors.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char usage_text[] =
	"usage: sphc <command> [options]\n"
	"\n"
	"commands:\n"
	"  check SYSTEM.yaml     check a system description against its board\n"
	"  map SYSTEM.yaml       print the resolved memory map (--svg FILE draws it)\n"
	"  build SYSTEM.yaml -o DIR   check, then write blobs, device trees, linker\n"
	"                        scripts, headers, manifest.json and run-qemu.sh\n"
	"                        into DIR, replaced atomically (--board B, or\n"
	"                        --all-boards: one DIR/BOARD each; check options)\n"
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
	"  -q, --quiet                   print nothing when the check is clean\n"
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
	return usage_error("unknown command '%s'", argv[1]);
}
