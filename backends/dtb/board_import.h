/* SPDX-License-Identifier: MIT */
/*
 * The device tree reader: a flattened device tree as a board description
 * (`sphc board import`; what is read from where: board_import.c).
 */
#ifndef SPHC_BACKENDS_DTB_BOARD_IMPORT_H
#define SPHC_BACKENDS_DTB_BOARD_IMPORT_H

#include <stddef.h>
#include <stdio.h>

/*
 * board_import_check - NULL when @dtb (@len bytes) is a complete,
 * well-formed device tree blob, else libfdt's reason why not.
 */
const char *board_import_check(const void *dtb, size_t len);

/*
 * board_import_name - the board's name: @name made a valid sphc name, else
 * the same of the stem of @output (when not NULL) or of @path. Malloc'ed.
 */
char *board_import_name(const char *name, const char *output, const char *path);

/*
 * board_import - write the board description of @dtb, which passed
 * board_import_check(), to @f as board @name; @source is the file named in
 * its first comment.
 */
void board_import(const void *dtb, const char *name, const char *source,
		  FILE *f);

#endif
