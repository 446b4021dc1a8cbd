/* SPDX-License-Identifier: MIT */
/*
 * The commands of `sphc`, one file each in sphc/cli/, and what they share.
 *
 * Only this folder chooses exit statuses: 0 clean, 1 findings (errors, or
 * warnings under --werror), 2 usage, I/O or internal errors.
 */
#ifndef SPHC_CLI_H
#define SPHC_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "check/input.h"
#include "cli/options.h"
#include "diag/diag.h"

/* The commands; argv[0] is the command's name. */
int cmd_check(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_boards(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_board(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_lsp(int argc, char **argv);

/*
 * One board's run of the pipeline; its input stays alive until the
 * diagnostics are printed. @subdir: where `build --all-boards` writes it.
 */
struct run {
	struct sphc_input in;
	enum sphc_status status;
	char *subdir;
};

/*
 * runs_load - read and parse @path once, then load and check it for each
 * board: @board alone, else each of the system's `boards:` in turn when
 * @every_board, else its first. *@np: how many runs. Every run has the
 * settings of @dl (-W, --werror) and its own findings; they are merged into
 * @dl, each once. With @o (check, build), a run whose targets include sph's
 * runtime is also checked for what the runtime drives.
 */
struct run *runs_load(const char *path, const char *board, bool every_board,
		      size_t *np, const struct options *o,
		      struct diag_list *dl);
/* runs_worst - the worst status of @n runs. */
enum sphc_status runs_worst(const struct run *runs, size_t n);
void runs_free(struct run *runs, size_t n);

/*
 * one_system - whether @argv holds exactly one operand after the options
 * (o->first), the SYSTEM.yaml file; else a usage error (SPHC_FAILED).
 */
int one_system(int argc, char **argv, const struct options *o);

/*
 * hypervisor_file_ok - whether --hypervisor @path is a regular file of a
 * size sphc reads; else an io-error in @dl (check and build alike).
 */
bool hypervisor_file_ok(const char *path, struct diag_list *dl);

/* print_counts - "N errors, M warnings" on stderr. */
void print_counts(const struct diag_list *dl);

#endif
