/* SPDX-License-Identifier: MIT */
/*
 * The Jailhouse backend: a resolved system as Jailhouse's binary
 * configurations, one root-cell system config plus one config per other
 * cell, packed exactly as Jailhouse's cell-config.h lays them out
 * (revision 14, or 13 for older trees and the coloring forks built on it).
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

#include "diag/diag.h"
#include "model/model.h"

/* Sizes of the packed structures, in bytes. */
#define JH_SYSTEM_SIZE 356	/* struct jailhouse_system up to root_cell */
#define JH_CELL_DESC_SIZE 132
#define JH_CONSOLE_SIZE 32
#define JH_MEMORY_SIZE 32
#define JH_CACHE_SIZE 12
#define JH_IRQCHIP_SIZE 32
#define JH_PIO_SIZE 4
#define JH_PCI_DEVICE_SIZE 56
#define JH_PCI_CAP_SIZE 8
#define JH_STREAM_ID_SIZE 4

/* Offsets in struct jailhouse_system. */
#define JH_SYS_FLAGS 8
#define JH_SYS_HYP_MEMORY 12
#define JH_SYS_DEBUG_CONSOLE 44
#define JH_SYS_PLATFORM 76
#define JH_SYS_ARM 312 /* maintenance_irq, gic_version, pad[2], bases */
#define JH_SYS_ROOT_CELL 356

/* Offsets in struct jailhouse_cell_desc. */
#define JH_CELL_NAME 8
#define JH_CELL_NAME_LEN 32	/* 31 characters and a NUL */
#define JH_CELL_FLAGS 44
#define JH_CELL_CPU_SET_SIZE 48
#define JH_CELL_NUM_MEMORY 52
#define JH_CELL_NUM_CACHE 56
#define JH_CELL_NUM_IRQCHIPS 60
#define JH_CELL_NUM_PIO 64
#define JH_CELL_NUM_PCI 68
#define JH_CELL_NUM_PCI_CAPS 72
#define JH_CELL_NUM_STREAM_IDS 76
#define JH_CELL_VPCI_IRQ_BASE 80
#define JH_CELL_RESET_ADDRESS 84
#define JH_CELL_MSG_TIMEOUT 92
#define JH_CELL_CONSOLE 100

#define JH_ARCH_ARM64 2

#define JH_MEM_READ 0x0001ULL
#define JH_MEM_WRITE 0x0002ULL
#define JH_MEM_EXECUTE 0x0004ULL
#define JH_MEM_DMA 0x0008ULL
#define JH_MEM_IO 0x0010ULL
#define JH_MEM_COMM_REGION 0x0020ULL
#define JH_MEM_LOADABLE 0x0040ULL
#define JH_MEM_ROOTSHARED 0x0080ULL
#define JH_MEM_NO_HUGEPAGES 0x0100ULL
#define JH_MEM_IO_UNALIGNED 0x8000ULL
#define JH_MEM_IO_8 0x10000ULL
#define JH_MEM_IO_16 0x20000ULL
#define JH_MEM_IO_32 0x40000ULL
#define JH_MEM_IO_64 0x80000ULL

#define JH_CELL_PASSIVE_COMMREG 0x00000001U
#define JH_CELL_VIRTUAL_CONSOLE_PERMITTED 0x40000000U
#define JH_CELL_VIRTUAL_CONSOLE_ACTIVE 0x80000000U
#define JH_SYS_VIRTUAL_DEBUG_CONSOLE 0x0001U

#define JH_CON_TYPE_NONE 0x0000
#define JH_CON_TYPE_8250 0x0002
#define JH_CON_TYPE_PL011 0x0003
#define JH_CON_TYPE_XUARTPS 0x0004
#define JH_CON_TYPE_MVEBU 0x0005
#define JH_CON_TYPE_HSCIF 0x0006
#define JH_CON_TYPE_SCIFA 0x0007
#define JH_CON_TYPE_IMX 0x0008
#define JH_CON_TYPE_IMX_LPUART 0x0009
#define JH_CON_TYPE_SCIF 0x000a
#define JH_CON_ACCESS_MMIO 0x0001
#define JH_CON_REGDIST_4 0x0002

/* Where Jailhouse's ARM inmate library expects the communication region. */
#define JH_COMM_REGION_IPA 0x80000000ULL

/*
 * jailhouse_emit - write @outdir/jailhouse/system.cell (the root cell's
 * system config) and @outdir/jailhouse/<cell>.cell for every other cell,
 * in configuration format @revision (13 or 14). @s must be resolved and
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
		     const char *name, const char *output,
		     struct diag_list *dl, struct source **sources);

/* jailhouse_root_cell - the index of the cell that becomes the root cell. */
size_t jailhouse_root_cell(const struct m_system *s);

/* jailhouse_console_type - the JH_CON_TYPE_* of a board device. */
uint16_t jailhouse_console_type(const struct b_device *d);

#endif
