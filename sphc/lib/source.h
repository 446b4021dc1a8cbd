/* SPDX-License-Identifier: MIT */
/*
 * Source files and locations.
 *
 * Every input file is read once into a struct source that lives as long as
 * the run, so any diagnostic can quote the line it points at. A big regular
 * file is not loaded but streamed into the parser (source_stream()); once
 * parsed, only a quote reads it again, if it is unchanged.
 */
#ifndef SPHC_SOURCE_H
#define SPHC_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct source {
	char *path; /* as shown in diagnostics, and opened */
	char *text; /* NUL-terminated contents; NULL once dropped */
	size_t len;
	unsigned int id; /* load order: diagnostics sort by it */
	uint16_t slot;	 /* in the registry (source_by_slot) */
	bool no_quote;	 /* diagnostics name its lines, never show them */
	bool rereadable; /* the file, as stat'ed when read: */
	int fd;		 /* streamed: open until parsed, else -1 */
	size_t streamed; /* bytes read by source_stream() */
	uint64_t dev, ino;
	int64_t mtime_sec, mtime_nsec;
	uint32_t *line_starts; /* offset of each line, for quoting: */
	uint32_t nlines;       /* built by the first source_line() */
	uint32_t lines_cap;
	char *prefix;  /* a dropped text read again as far as quoted: */
	size_t loaded; /* its first @loaded bytes (lines_starts index them) */
	struct source *next; /* sources of one run, for freeing */
};

/* A position in a source; line and col count from 1, col in bytes. */
struct loc {
	const struct source *src;
	uint32_t line;
	uint32_t col;
};

/*
 * source_load - read a whole file, once (a pipe or a FIFO works), at most
 * READ_MAX bytes (lib/util.h). Returns NULL and sets errno when the file
 * cannot be read (EFBIG when it is larger: read_error() says so). A regular
 * file of SOURCE_DROP_MIN bytes or more is only opened: its text stays NULL
 * and the parser reads it through source_stream().
 */
struct source *source_load(const char *path);

/*
 * source_stream - the next bytes of a streamed source into @buf (at most
 * @size): how many (0 at the end), or -1 with errno set (EFBIG past
 * READ_MAX). source_stream_end() closes the file: whatever is quoted later
 * is read again, if the file is unchanged (same size as streamed).
 */
long source_stream(struct source *s, void *buf, size_t size);
void source_stream_end(struct source *s);

/* source_from_memory - wrap a buffer (copied) as a source named @path. */
struct source *source_from_memory(const char *path, const char *text,
				  size_t len);

void source_free_all(struct source *head);

/*
 * source_by_slot - the live source registered at @slot, or NULL for slot 0.
 * Every loaded source takes the lowest free slot of a registry until it is
 * freed, so that a YAML node names its file in 16 bits (struct ynode).
 */
const struct source *source_by_slot(uint16_t slot);

/*
 * source_drop_text - free the text of @s, a file of at least
 * SOURCE_DROP_MIN bytes, when nothing but quoting needs it any more (the
 * YAML tree holds copies of its scalars): a big system then costs its tree,
 * not its tree and its text. source_line() reads the file again, if it is
 * unchanged (same inode, size and modification time); else it quotes
 * nothing. Smaller files and sources from memory keep their text.
 */
#define SOURCE_DROP_MIN (1u << 20)
void source_drop_text(struct source *s);

/*
 * source_line - the text of line @line (without its newline).
 * Returns a pointer into the source and stores the length in *len,
 * or NULL when the line does not exist (or the text was dropped and the
 * file has changed since). Of a dropped text, only as much is read again
 * as the lines quoted need: one finding near the top of a 40 MB file does
 * not read the file whole.
 */
const char *source_line(const struct source *src, uint32_t line, size_t *len);

/*
 * source_text - the whole text of @s, read again if it was dropped; NULL if
 * the file has changed since (or cannot be read).
 */
const char *source_text(struct source *s);

#endif
