/* SPDX-License-Identifier: MIT */
/*
 * The front of the pipeline, shared by every command that reads a system:
 * load -> parse -> schema -> model, for the system and its board, then
 * resolve names and run the checks.
 */
#ifndef SPHC_INPUT_H
#define SPHC_INPUT_H

#include "diag/diag.h"
#include "model/model.h"
#include "front/ynode.h"

struct sphc_input {
	struct source *sources; /* every file read, for freeing */
	struct ydoc sys_doc, board_doc;
	struct m_system sys;
	struct m_board board;
	char *board_path;
};

/* Exit statuses of the CLI, returned by input_load too. */
enum sphc_status {
	SPHC_OK = 0,	   /* clean */
	SPHC_FINDINGS = 1, /* errors in the input (or warnings, --werror) */
	SPHC_FAILED = 2,   /* usage, I/O or internal error */
};

/*
 * input_load - read and check @system_path against @board_override (a board
 * name or path; NULL to use the system's `board:`, or entry @board_index of
 * its `boards:`). The system's `per-board:` overrides for that board apply.
 * Returns SPHC_OK when the model is complete and error-free, SPHC_FINDINGS
 * when the input has errors, SPHC_FAILED when a file cannot be read.
 * All problems are reported to @dl. Call input_free() in every case.
 */
enum sphc_status input_load(struct sphc_input *in, const char *system_path,
			    const char *board_override,
			    unsigned int board_index, struct diag_list *dl);
void input_free(struct sphc_input *in);

/*
 * input_override - from now on, read @path (as given to input_load()) from
 * @text, @len bytes, instead of the file: an editor's unsaved buffer, for
 * `sphc lsp`. @path and @text must live until the next call; NULL: off.
 */
void input_override(const char *path, const char *text, size_t len);

/*
 * input_board_count - how many boards a system file is for: the length of
 * its `boards:` list, else 1 (also when it cannot be parsed: input_load()
 * then reports why).
 */
unsigned int input_board_count(const char *system_path);

#endif
