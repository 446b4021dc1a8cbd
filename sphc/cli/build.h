/* SPDX-License-Identifier: MIT */
/*
 * sphc build: the full check, then every backend into an output directory
 * that is replaced atomically (see build.c); and sphc dump.
 */
#ifndef SPHC_BUILD_H
#define SPHC_BUILD_H

#include "diag/diag.h"
#include "check/input.h"

/*
 * build_one - run every backend for one resolved, checked (system, board)
 * into @dir, an existing empty directory. @system_path locates images.
 * Layout problems go to @dl (SPHC_FINDINGS); a failed write returns
 * SPHC_FAILED with a message in *@error (malloc'ed).
 */
enum sphc_status build_one(const struct sphc_input *in,
			   const char *system_path, const char *dir,
			   unsigned int targets, const char *hypervisor,
			   struct diag_list *dl, char **error);

/* The commands, argv[0] being the command name. */
int cmd_build(int argc, char **argv);
int cmd_dump(int argc, char **argv);

#endif
