/* SPDX-License-Identifier: MIT */
/*
 * Finding board files: by path, or by name among the built-in boards.
 *
 * Built-in boards are searched in order in: each directory of
 * $SPHC_BOARD_PATH (colon-separated), <prefix>/share/sphc/boards next to an
 * installed binary, and boards/ of the source tree the binary was built in.
 */
#ifndef SPHC_BOARDPATH_H
#define SPHC_BOARDPATH_H

#include <stdbool.h>
#include <stddef.h>

/* boardpath_is_path - whether @spec names a file rather than a board. */
bool boardpath_is_path(const char *spec);

/*
 * boardpath_find - the file for board @spec (a name or a path; a relative
 * path is taken relative to directory @base_dir, or the working directory
 * when NULL). Returns a malloc'ed path for display, or NULL if none exists.
 */
char *boardpath_find(const char *spec, const char *base_dir);

/*
 * boardpath_list - names of the built-in boards, sorted, deduplicated.
 * Returns a malloc'ed NULL-terminated array; free with boardpath_list_free.
 */
char **boardpath_list(void);
void boardpath_list_free(char **names);

/* path_display - @path made relative to the working directory if inside it. */
char *path_display(const char *path);

#endif
