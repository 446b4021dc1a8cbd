/* SPDX-License-Identifier: MIT */
/*
 * Source files and locations.
 *
 * Every input file is loaded once into a struct source that lives as long as
 * the run, so any diagnostic can quote the line it points at.
 */
#ifndef SPHC_SOURCE_H
#define SPHC_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct source {
	char *path;		/* as shown in diagnostics */
	char *text;		/* NUL-terminated contents */
	size_t len;
	unsigned int id;		/* load order: diagnostics sort by it */
	uint16_t slot;			/* in the registry (source_by_slot) */
	uint32_t *line_starts;		/* offset of each line, for quoting: */
	uint32_t nlines;		/* built by the first source_line() */
	struct source *next;	/* sources of one run, for freeing */
};

/* A position in a source; line and col count from 1, col in bytes. */
struct loc {
	const struct source *src;
	uint32_t line;
	uint32_t col;
};

/*
 * source_load - read a whole file.
 * Returns NULL and sets errno when the file cannot be read.
 */
struct source *source_load(const char *path);

/* source_from_memory - wrap a buffer (copied) as a source named @path. */
struct source *source_from_memory(const char *path, const char *text, size_t len);

void source_free_all(struct source *head);

/*
 * source_by_slot - the live source registered at @slot, or NULL for slot 0.
 * Every loaded source takes the lowest free slot of a registry until it is
 * freed, so that a YAML node names its file in 16 bits (struct ynode).
 */
const struct source *source_by_slot(uint16_t slot);

/*
 * source_line - the text of line @line (without its newline).
 * Returns a pointer into the source and stores the length in *len,
 * or NULL when the line does not exist.
 */
const char *source_line(const struct source *src, uint32_t line, size_t *len);

#endif
