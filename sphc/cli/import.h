/* SPDX-License-Identifier: MIT */
/*
 * Importers: other formats turned into sphc YAML, so existing
 * configurations can be migrated and checked like any description.
 *
 *   sphc import jailhouse SYSTEM.cell [CELL.cell...] [--board B] [-o FILE]
 *       Jailhouse binary configs (revision 13 or 14, arm64) -> a system
 *       (backends/jailhouse/import.c)
 *   sphc board import FILE.dtb [-o FILE] [--name NAME]
 *       a flattened device tree -> a board (backends/dtb/board_import.c)
 *
 * Both write YAML to stdout, or to FILE with -o. Exit status as sphc's:
 * 0 written, 1 the input has errors, 2 usage or I/O error.
 */
#ifndef SPHC_IMPORT_H
#define SPHC_IMPORT_H

/* The commands, argv[0] being the command name ("import", "board"). */
int cmd_import(int argc, char **argv);
int cmd_board(int argc, char **argv);

#endif
