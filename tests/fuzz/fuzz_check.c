// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness over the whole `sphc check` pipeline: the input bytes
 * are written to a file in /dev/shm and loaded with input_load() exactly as
 * the CLI does (YAML front end, schema, model, resolve, checks), then the
 * diagnostics are rendered in all three formats.
 *
 * An input that starts with "sphc-board:" is a board: it is checked with
 * examples/linux-rtos/system.yaml on it (--board PATH), so board files get
 * the same treatment. Anything else is a system, on the board it names
 * (built-in boards are found in ../boards next to the binary).
 *
 * Built and run by `make fuzz` / `make fuzz-short` (tests/fuzz/run.sh).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/diag.h"
#include "check/check.h"
#include "check/input.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_BOARDS 4

static char sys_path[64], board_path[64];
static const char *fixed_system;
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	snprintf(sys_path, sizeof(sys_path), "/dev/shm/sphc-fuzz-%d.yaml",
		 (int)getpid());
	snprintf(board_path, sizeof(board_path),
		 "/dev/shm/sphc-fuzz-%d.board.yaml", (int)getpid());
	fixed_system = getenv("SPHC_FUZZ_SYSTEM");
	if (!fixed_system)
		fixed_system = "examples/linux-rtos/system.yaml";
	devnull = fopen("/dev/null", "w");
	return 0;
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	size_t off = 0;
	ssize_t n;

	if (fd < 0) {
		perror(path);
		abort();
	}
	while (off < size) {
		n = write(fd, data + off, size - off);
		if (n <= 0) {
			perror(path);
			abort();
		}
		off += (size_t)n;
	}
	close(fd);
}

static bool is_board(const uint8_t *data, size_t size)
{
	static const char tag[] = "sphc-board:";

	return size >= sizeof(tag) - 1 && !memcmp(data, tag, sizeof(tag) - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum diag_format formats[] = { DIAG_FORMAT_TEXT,
						    DIAG_FORMAT_JSON,
						    DIAG_FORMAT_SARIF };
	struct diag_render_opts o = { .show_source = true,
				      .tool_version = "fuzz" };
	struct sphc_input in[MAX_BOARDS];
	struct input_system *sys;
	struct diag_list dl;
	const char *system = sys_path, *board = NULL;
	unsigned int i, nboards = 1;

	if (is_board(data, size)) {
		write_file(board_path, data, size);
		system = fixed_system;
		board = board_path;
	} else {
		write_file(sys_path, data, size);
	}
	diag_init(&dl);
	/* As `sphc check` does: read once, each board of a boards: list. */
	sys = input_system_read(system, &dl);
	if (!board)
		nboards = input_system_boards(sys);
	if (nboards > MAX_BOARDS)
		nboards = MAX_BOARDS;
	for (i = 0; i < nboards; i++) {
		struct diag_list one;

		diag_init(&one);
		/* With the runtime's rules, as a check without --target
		 * (runs_load: the console and GIC only on a clean model). */
		if (input_load_system(&in[i], sys, board, i, &one) == SPHC_OK)
			check_runtime(&in[i].sys, &in[i].board, &one);
		if (in[i].checked)
			check_layout(&in[i].sys, &in[i].board, &one);
		diag_merge_unique(&dl, &one);
		diag_free(&one);
	}
	input_system_put(sys);
	diag_sort(&dl);
	/* The sources stay loaded until the diagnostics are rendered. */
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		o.format = formats[i];
		o.color = i == 0;
		diag_render(&dl, &o, devnull);
	}
	for (i = 0; i < nboards; i++)
		input_free(&in[i]);
	diag_free(&dl);
	return 0;
}
