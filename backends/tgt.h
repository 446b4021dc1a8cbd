/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the peer-hypervisor and boot-image emitters (bao.c,
 * xen.c, fit.c): output files, payload paths, staging addresses.
 *
 * Every function that can fail reports to a diag_list (rule io-error) and
 * returns the number of errors it reported, like the rest of sphc.
 */
#ifndef SPHC_BACKENDS_TGT_H
#define SPHC_BACKENDS_TGT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag/diag.h"
#include "model/model.h"

/* tgt_dir - "@outdir/@sub", created if missing (@outdir must exist). */
char *tgt_dir(const char *outdir, const char *sub, struct diag_list *dl);

/* tgt_write - write @len bytes to @path (replacing it). */
int tgt_write(const char *path, const void *buf, size_t len,
	      struct diag_list *dl);

/* tgt_read - the whole file @path; -1 with errno set when unreadable. */
int tgt_read(const char *path, void **buf, size_t *len);

/*
 * Text output: a memory stream, written to a file at the end.
 * tgt_text_open never fails (out of memory is fatal).
 */
struct tgt_text {
	FILE *f;
	char *buf;
	size_t len;
};

void tgt_text_open(struct tgt_text *t);
int tgt_text_write(struct tgt_text *t, const char *path, struct diag_list *dl);

/* tgt_system_dir - the directory of the system file ("." for a bare name). */
char *tgt_system_dir(const struct m_system *s);

/* tgt_system_path - the system file as named on the command line. */
const char *tgt_system_path(const struct m_system *s);

/*
 * tgt_system_label - the system file for a comment of a generated file:
 * tidied (path_tidy: "./a.yaml" is "a.yaml") and quoted (quote_comment).
 * Malloc'ed.
 */
char *tgt_system_label(const struct m_system *s);

/* tgt_image_path - the cell's payload (system dir + image:), or NULL. */
char *tgt_image_path(const struct m_system *s, const struct m_cell *c);

/* tgt_file_path - @file named in the system file (system dir + it). */
char *tgt_file_path(const struct m_system *s, const char *file);

/* tgt_abspath - @path made absolute and normalized (need not exist). */
char *tgt_abspath(const char *path);

/* tgt_relpath - @to relative to directory @from_dir (both any form). */
char *tgt_relpath(const char *from_dir, const char *to);

/* tgt_file_size - size of @path, or -1 when it cannot be read. */
int64_t tgt_file_size(const char *path);

/*
 * tgt_ident - @name as a C identifier fragment: characters other than
 * letters and digits become '_'; @upper: in upper case.
 */
char *tgt_ident(const char *name, bool upper);

/* tgt_cell_memory - total bytes of a cell's memory regions. */
uint64_t tgt_cell_memory(const struct m_cell *c);

/* tgt_cell_pinned - whether any of the cell's regions has a base. */
bool tgt_cell_pinned(const struct m_cell *c);

/* tgt_cpu_count - number of CPUs in @mask. */
static inline uint32_t tgt_cpu_count(uint64_t mask)
{
	return (uint32_t)__builtin_popcountll(mask);
}

/* tgt_cell_loc - where to point a finding about cell @c (its colors key if
 * @colors and given, else its name). */
struct loc tgt_cell_loc(const struct m_cell *c, bool colors);

/*
 * Address ranges taken in RAM, to find room for images the boot loader
 * stages there.
 */
struct tgt_ranges {
	struct {
		uint64_t start, end;
	} * v;
	size_t n, cap;
};

void tgt_ranges_add(struct tgt_ranges *r, uint64_t start, uint64_t size);

/*
 * tgt_arm32_refused - for a target that serves AArch64 only: when @b is
 * 32-bit ARM, a target-limit at the board's arch: line saying @why, and
 * true.
 */
bool tgt_arm32_refused(const struct m_board *b, const char *why,
		       struct diag_list *dl);

/* tgt_ranges_add_system - everything sphc placed: hypervisor, cells, shared. */
void tgt_ranges_add_system(struct tgt_ranges *r, const struct m_system *s);

/*
 * tgt_ranges_fit - the lowest @align-aligned start of @size free bytes in
 * the board's RAM (banks in board order); false when nothing fits.
 * Boot loaders such as U-Boot relocate themselves to the top of RAM, so
 * staged files go low.
 */
bool tgt_ranges_fit(const struct tgt_ranges *r, const struct m_board *b,
		    uint64_t size, uint64_t align, uint64_t *start);

void tgt_ranges_free(struct tgt_ranges *r);

/* tgt_align_up - @v rounded up to a multiple of @a (a power of two). */
static inline uint64_t tgt_align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* tgt_crc32 - CRC-32 (IEEE 802.3, as zlib and U-Boot's crc32 compute it). */
uint32_t tgt_crc32(const void *buf, size_t len);

#define SZ_1M (1ULL << 20)
#define SZ_2M (2ULL << 20)

#endif
