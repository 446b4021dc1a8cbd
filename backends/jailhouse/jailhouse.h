/* SPDX-License-Identifier: MIT */
/*
 * The Jailhouse backend: a resolved system as Jailhouse's binary
 * configurations, one root-cell system config plus one config per other
 * cell, packed exactly as Jailhouse's cell-config.h lays them out
 * (revision 14, or 13 for older trees and the coloring forks built on it,
 * or 12 for Jailhouse v0.12).
 *
 * Mapping (documented in docs/language.md, "Jailhouse"):
 *   root cell   the first cell in list order that is not critical (the
 *               first cell when all are). Jailhouse's root cell starts with
 *               the whole machine and gives resources away as cells are
 *               created, so its config lists every board CPU and SPI, all
 *               RAM but the hypervisor's and the shared regions it has no
 *               access to, and every board device but the hypervisor
 *               console; the RAM and devices of the other cells are among
 *               them, as Jailhouse expects (`jailhouse cell load` writes
 *               images through the root's mapping, and a destroyed cell's
 *               resources return to the root).
 *   other cells their RAM (READ|WRITE|EXECUTE|DMA|LOADABLE), shared
 *               regions, devices (READ|WRITE|IO, sub-page ranges also
 *               IO_8..IO_64), SPIs, CPUs, and the communication region.
 *   shared      plain shared memory, mapped 1:1: READ, WRITE when rw,
 *               ROOTSHARED in other cells when the root cell has access too.
 *               Doorbells have no plain-memory equivalent and are dropped
 *               with a warning; so are cache colors (mainline Jailhouse has
 *               no coloring): memory is then placed as if uncolored.
 */
#ifndef SPHC_JAILHOUSE_H
#define SPHC_JAILHOUSE_H

#include <stddef.h>
#include <stdint.h>

#include "backends/jailhouse/layout.h"
#include "diag/diag.h"
#include "model/model.h"

/*
 * jailhouse_emit - write @outdir/jailhouse/system.cell (the root cell's
 * system config) and @outdir/jailhouse/<cell>.cell for every other cell,
 * in configuration format @revision (12, 13 or 14). @s must be resolved and
 * checked clean for board @b. What Jailhouse cannot express is reported to
 * @dl: warnings under target-unsupported (colors, doorbells, boot order),
 * errors under target-limit (a name longer than 31 characters, a GICv2
 * board without its virtual interface, memory that no longer fits without
 * colors); write failures under io-error.
 * Returns the number of errors reported (0: every file was written).
 */
int jailhouse_emit(const struct m_system *s, const struct m_board *b,
		   int revision, const char *outdir, struct diag_list *dl);

/*
 * jailhouse_check - what jailhouse_emit() reports, writing nothing (every
 * finding but I/O errors), for sphc check. Returns the errors.
 */
int jailhouse_check(const struct m_system *s, const struct m_board *b,
		    int revision, struct diag_list *dl);

/*
 * jailhouse_emit_out - the same files through sphc build's output directory
 * (jailhouse/... in @o, recorded for the manifest).
 */
struct out;
int jailhouse_emit_out(const struct m_system *s, const struct m_board *b,
		       int revision, struct out *o, struct diag_list *dl);

/*
 * jailhouse_import - decode @paths[0], a system configuration, and
 * @paths[1 .. @n), cell configurations, and write the sphc description they
 * amount to into @output (NULL: stdout), as system @name (NULL: the stem of
 * @output, else "imported"). @board is a board name or path; NULL: the
 * built-in board whose GIC and console sit where the configuration says.
 * Findings go to @dl, located in the files, whose sources are added to
 * *@sources (free them once @dl is printed).
 * Returns SPHC_OK, SPHC_FINDINGS (errors in the input) or SPHC_FAILED (a
 * file cannot be read or written).
 */
struct source;
int jailhouse_import(char *const *paths, size_t n, const char *board,
		     const char *name, const char *output, struct diag_list *dl,
		     struct source **sources);

/* jailhouse_root_cell - the index of the cell that becomes the root cell. */
size_t jailhouse_root_cell(const struct m_system *s);

/* jailhouse_console_type - the JH_CON_TYPE_* of a board device. */
uint16_t jailhouse_console_type(const struct b_device *d);

#endif
