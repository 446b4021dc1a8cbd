// SPDX-License-Identifier: MIT
/*
 * The commands of sphc and their documentation (help.h): one entry each,
 * read by main() to dispatch, by options_parse() for the options a command
 * takes, and by help.c and complete.c to document it.
 */
#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"

#define EXIT_CHECK                                                             \
	"0 clean; 1 findings (errors, or warnings under --werror); 2 usage, "  \
	"I/O or internal error"
#define EXIT_LIST "0; 2 on a usage or I/O error"

const char sphc_description[] =
	"sphc compiles one YAML description of a statically partitioned "
	"system (cells owning CPUs, memory, devices, interrupts and "
	"last-level-cache colors) against a board description. It checks the "
	"description the way a C compiler checks a program, every finding "
	"located in the file and named by a rule id, and builds what the boot "
	"needs: binary blobs for the sph runtime, device trees, linker scripts, "
	"and configurations for Jailhouse, Bao and Xen dom0less.";

const struct command commands[] = {
	{ "check",
	  cmd_check,
	  OPTS_DIAG | OPTS_BOARD | OPTS_TARGET,
	  "SYSTEM.yaml",
	  "check a system description against its boards",
	  "Resolve what SYSTEM.yaml leaves open (CPU ids, colors, addresses, "
	  "doorbell interrupts) and check it against each board of its boards: "
	  "list, or against --board alone. Every finding is printed once, with "
	  "the rule id that names it (see 'sphc rules'), then 'ok for board B' "
	  "on stdout for each clean board. With --target, check for that "
	  "build: a board sph's runtime cannot drive is an error only for "
	  "builds that include the runtime.",
	  { "sphc check examples/three-cells/system.yaml",
	    "check on each board the system lists",
	    "sphc check --diagnostics-format=sarif "
	    "examples/linux-rtos/system.yaml",
	    "the findings as SARIF 2.1.0 on stdout, for code scanning" },
	  EXIT_CHECK,
	  NULL,
	  "*.yaml" },
	{ "map",
	  cmd_map,
	  OPTS_DIAG | OPTS_BOARD | OPTS_SVG,
	  "SYSTEM.yaml",
	  "print the resolved memory map (--svg FILE draws it)",
	  "Check SYSTEM.yaml for one board (its first, or --board), then print "
	  "the memory map as the build will lay it out: every region of the "
	  "hypervisor, the cells, shared memory and devices, with its owner, "
	  "range, size and cache colors.",
	  { "sphc map examples/linux-rtos/system.yaml",
	    "the memory map on the system's first board",
	    "sphc map --board zcu104 --svg map.svg "
	    "examples/three-cells/system.yaml",
	    "the map on zcu104, also drawn into map.svg" },
	  EXIT_CHECK,
	  NULL,
	  "*.yaml" },
	{ "build",
	  cmd_build,
	  OPTS_DIAG | OPTS_BOARD | OPTS_BUILD | OPTS_TARGET | OPTS_OUTPUT,
	  "SYSTEM.yaml -o DIR",
	  "check, then write blobs, device trees and configurations into DIR",
	  "Check SYSTEM.yaml as 'sphc check' does, then write into DIR the "
	  "system blob (system.bin), each cell's blob, device tree, linker "
	  "script and header (cells/), hypervisor.ld, run-qemu.sh and "
	  "manifest.json; with --target, what it names instead. Nothing is "
	  "written when the check finds an error; DIR is replaced atomically.",
	  { "sphc build examples/linux-rtos/system.yaml -o build/",
	    "build for the system's first board into build/",
	    "sphc build --all-boards --target all "
	    "examples/three-cells/system.yaml -o out/",
	    "build for every board of the system into out/BOARD/, with the "
	    "Jailhouse, Bao, Xen and FIT outputs" },
	  EXIT_CHECK,
	  NULL,
	  "*.yaml" },
	{ "dump",
	  cmd_dump,
	  OPTS_FORMAT,
	  "FILE.bin",
	  "validate an sph blob and print it",
	  "Validate a system or cell blob with the runtime's own validator and "
	  "print what it holds. A blob that fails is reported with the check "
	  "that failed and the byte offset of the field.",
	  { "sphc dump build/system.bin", "print the system blob as YAML",
	    "sphc dump --format=json build/cells/linux.bin",
	    "print one cell's blob as JSON" },
	  "0 valid; 1 invalid blob; 2 usage or I/O error",
	  NULL,
	  "*.bin" },
	{ "schema",
	  cmd_schema,
	  0,
	  "[system|board]",
	  "print the JSON Schema of a system or board description",
	  "Print the JSON Schema (draft 2020-12) of system descriptions "
	  "(default) or of board descriptions, as embedded in sphc; editors "
	  "use it to complete and validate keys.",
	  { "sphc schema >system.schema.json",
	    "save the system schema for an editor", "sphc schema board",
	    "print the board schema" },
	  EXIT_LIST,
	  "system board",
	  NULL },
	{ "boards",
	  cmd_boards,
	  0,
	  "",
	  "list the built-in boards",
	  "List the boards sphc finds by name, each with its file: those in "
	  "the directories of SPHC_BOARD_PATH first, then the installed ones.",
	  { "sphc boards", "list the boards and their files",
	    "SPHC_BOARD_PATH=$HOME/boards sphc boards",
	    "include the boards of $HOME/boards" },
	  EXIT_LIST,
	  NULL,
	  NULL },
	{ "rules",
	  cmd_rules,
	  0,
	  "",
	  "list every diagnostic rule",
	  "List every rule id with its severity (error, warning or note) and "
	  "what it finds. Warnings and notes can be silenced with -W no-RULE; "
	  "docs/rules.md explains each.",
	  { "sphc rules", "list the rules", "sphc rules | grep -v ' error '",
	    "the rules that -W no-RULE can silence" },
	  EXIT_LIST,
	  NULL,
	  NULL },
	{ "import",
	  cmd_import,
	  OPTS_BOARD | OPTS_OUTPUT | OPTS_NAME,
	  "jailhouse SYSTEM.cell [CELL.cell...]",
	  "turn Jailhouse configurations into a system description",
	  "Read Jailhouse's binary configurations (the root cell's system "
	  "configuration, then each non-root cell's) and write the sphc "
	  "description they amount to, so that shipped configurations can be "
	  "checked and migrated.",
	  { "sphc import jailhouse out/zcu104/jailhouse/{system,linux}.cell "
	    "-o demo.yaml",
	    "the root cell's configuration (first) and one cell's as a "
	    "description in demo.yaml (see the examples of build for out/)",
	    "sphc import jailhouse --name demo "
	    "out/zcu104/jailhouse/system.cell",
	    "the root cell alone, printed, with the system named demo" },
	  "0 written; 1 the input has errors; 2 usage or I/O error",
	  "jailhouse",
	  "*.cell" },
	{ "board",
	  cmd_board,
	  OPTS_OUTPUT | OPTS_NAME,
	  "import FILE.dtb",
	  "turn a device tree blob into a board description",
	  "Read a flattened device tree (a .dtb, or /sys/firmware/fdt on the "
	  "board itself) and write a board description of its CPUs, memory, "
	  "interrupt controller and devices, to review and complete.",
	  { "sphc board import virt.dtb -o my-board.yaml",
	    "the board of virt.dtb (from qemu-system-aarch64 -M "
	    "virt,dumpdtb=virt.dtb) into my-board.yaml",
	    "sphc board import --name my-board virt.dtb",
	    "the same, printed, with the board named my-board" },
	  "0 written; 1 not a device tree blob; 2 usage or I/O error",
	  "import",
	  "*.dtb" },
	{ "lsp",
	  cmd_lsp,
	  0,
	  "",
	  "a Language Server: sphc's findings in editors as you type",
	  "Speak the Language Server Protocol on stdin and stdout: an editor "
	  "starts 'sphc lsp' and sends it the system descriptions it opens; "
	  "sphc publishes the findings of 'sphc check' on each change (same "
	  "rule ids, located, notes as related information), hover text from "
	  "the schema for keys, and completion of keys, board names and the "
	  "board's devices. docs/editors.md sets it up for Neovim, VS Code "
	  "and others.",
	  { "sphc lsp <docs/lsp-session.txt",
	    "answer a recorded session (initialize, open a file with a "
	    "conflict, shutdown, exit): the diagnostics an editor receives",
	    "sphc lsp <docs/lsp-session.txt | grep -o '\"code\":\"[a-z-]*\"'",
	    "only the rule ids of the findings" },
	  "0 after shutdown and exit; 1 exit without shutdown; 2 end of input "
	  "or a malformed message",
	  NULL,
	  NULL },
	{ "help",
	  cmd_help,
	  OPTS_HELPGEN,
	  "[COMMAND]",
	  "print the help of a command, the man page or the completions",
	  "Print the help of COMMAND (as 'sphc COMMAND --help' does), or of "
	  "sphc itself; with --man the manual page, with --completion a shell "
	  "completion script. 'make install' installs both.",
	  { "sphc help build", "the help of 'sphc build'",
	    "sphc help --man | man -l -", "read the manual page" },
	  EXIT_LIST,
	  "@command",
	  NULL },
	{ NULL, NULL, 0, NULL, NULL, NULL, { NULL }, NULL, NULL, NULL },
};

const struct command *command_find(const char *name)
{
	const struct command *c;

	for (c = commands; name && c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}
