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

/* Exit statuses of the CLI, returned by input_load too. */
enum sphc_status {
	SPHC_OK = 0,	   /* clean */
	SPHC_FINDINGS = 1, /* errors in the input (or warnings, --werror) */
	SPHC_FAILED = 2,   /* usage, I/O or internal error */
};

/*
 * A system file read and parsed once, shared by the runs for each of its
 * boards (per-board overrides only add nodes to its tree).
 */
struct input_system {
	struct source *src; /* NULL when the file cannot be read */
	struct ydoc doc;
	enum sphc_status status; /* of reading and parsing */
	unsigned int refs;
};

struct sphc_input {
	struct source *sources; /* the board's file, for freeing */
	struct input_system *system;
	struct ydoc board_doc;
	struct m_system sys;
	struct m_board board;
	char *board_path;
	bool checked; /* the model was built and the rules ran over it */
};

/*
 * input_system_read - read and parse the system file @path, once; problems
 * go to @dl. Returns a reference for input_load_system() and
 * input_system_put() even when the file is unreadable or malformed.
 */
struct input_system *input_system_read(const char *path, struct diag_list *dl);
void input_system_put(struct input_system *s);

/*
 * input_system_boards - how many boards the system is for: the length of
 * its `boards:` list, else 1 (also when it cannot be parsed: the runs then
 * report why).
 */
unsigned int input_system_boards(const struct input_system *s);

/*
 * input_load_system - check system @s against @board_override (a board
 * name or path; NULL to use the system's `board:`, or entry @board_index of
 * its `boards:`). The system's `per-board:` overrides for that board apply.
 * Returns SPHC_OK when the model is complete and error-free, SPHC_FINDINGS
 * when the input has errors, SPHC_FAILED when a file cannot be read.
 * Problems are reported to @dl (those of reading and parsing @s only by
 * input_system_read()). Call input_free() in every case; @in holds a
 * reference to @s.
 */
enum sphc_status input_load_system(struct sphc_input *in,
				   struct input_system *s,
				   const char *board_override,
				   unsigned int board_index,
				   struct diag_list *dl);

/* input_load - input_system_read() and input_load_system() of one board. */
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

#endif
