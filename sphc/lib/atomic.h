/* SPDX-License-Identifier: MIT */
/*
 * Outputs that appear whole or not at all.
 *
 * A file or directory is first written under a temporary name beside its
 * target (same directory, so the final rename stays on one file system),
 * then renamed into place. While it is being written it is guarded: should
 * SIGINT, SIGTERM or SIGHUP end the process, the handler removes it and the
 * signal then ends the process as it would have; exit() (a fatal error
 * such as out of memory) removes it as well. SIGKILL cannot be caught;
 * whoever owns the temporary names removes stale ones on the next run.
 */
#ifndef SPHC_ATOMIC_H
#define SPHC_ATOMIC_H

#include <stdio.h>

/*
 * rm_tree - remove @path: a file, or a directory with everything below it
 * (symbolic links are removed, never followed). In @path itself an entry
 * named @last (NULL: none) is removed after every other, so a directory
 * interrupted half way still carries it. Async-signal-safe. Returns 0 (also
 * when @path does not exist), or -1 with errno set.
 */
int rm_tree(const char *path, const char *last);

/*
 * tmp_guard - have @path removed (rm_tree(@path, @last)) when SIGINT,
 * SIGTERM or SIGHUP ends the process; NULL guards nothing. One path at a
 * time. The handlers are installed on first use, except for a signal that
 * was ignored when sphc started (nohup).
 */
void tmp_guard(const char *path, const char *last);

/*
 * atomic_open - a stream for @path that is really a new temporary file
 * beside it (*@tmp, malloc'ed), guarded. NULL with errno set on failure.
 */
FILE *atomic_open(const char *path, char **tmp);

/*
 * atomic_commit - close @f and rename @tmp over @path. On any failure
 * (including an earlier failed write to @f) @tmp is removed and @path left
 * as it was. Frees @tmp. Returns 0, or -1 with errno set.
 */
int atomic_commit(FILE *f, char *tmp, const char *path);

/* atomic_abort - close @f and remove @tmp; frees @tmp. */
void atomic_abort(FILE *f, char *tmp);

#endif
