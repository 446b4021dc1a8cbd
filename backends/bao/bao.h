/* SPDX-License-Identifier: MIT */
/*
 * The Bao backend: a resolved system as a Bao v2 configuration, the C file
 * Bao compiles into its image (`struct config config`).
 *
 * One VM per cell, in cell order (VM id = cell index):
 *   image      VM_IMAGE(...) naming the cell's image: (an absolute path; a
 *              cell without one gets the placeholder "<cell>.bin", which the
 *              assembler looks up from Bao's build directory). Every path is a
 *              macro SPHC_IMAGE_<CELL> that -D can override. The image goes
 *              to the first region's IPA; entry is the cell's entry.
 *   CPUs       cpu_affinity = the cell's CPU mask, cpu_num its count.
 *   colors     the cell's colors converted to Bao's (below).
 *   memory     one vm_mem_region per region: base = IPA, size, pinned
 *              (place_phys) at the PA sphc placed it, so the map `sphc map`
 *              prints is what runs; a colored cell's regions without a
 *              base: are left to Bao's colored allocator instead (warned as
 *              target-inexact: Bao colors its own way).
 *   devices    one vm_dev_region per device register range (page-rounded,
 *              pa = va: identity), carrying the device's INTIDs and its
 *              first SMMU stream id (id; one more entry per further id:
 *              Bao's SMMU faults streams no VM owns); the cell's extra irqs
 *              and the virtual timer PPI in interrupt-only entries.
 *   shared     config.shmemlist[i] = shared region i (size; pinned at its
 *              PA, or, without a base: and when its accessors are all
 *              colored, colored with their colors and placed by Bao); one
 *              ipc object per accessor at the region's address, with the
 *              doorbell INTID when it has one.
 *   hypervisor bao.bin goes at the start of the hypervisor's memory (on
 *              QEMU boards past the first MiB of RAM, where QEMU puts its
 *              DTB); Bao's footprint from there (its code, every embedded
 *              image, per-CPU memory: measured, with margin, in bao.c) must
 *              fit the hypervisor's memory, else a target-limit error.
 *   boot, UART Bao starts every VM together and prints to its platform's
 *              UART: `critical`, a hypervisor console other than that UART
 *              and a cell owning it are warned about; RAM Bao's platform
 *              file describes beyond the board is noted in config.c.
 *   GIC        arch.gic: the board's distributor and redistributor (GICv3) or
 *              CPU interface (GICv2) addresses, as the guest sees them.
 *   hypervisor config.hyp.colors = its colors, converted.
 *
 * Colors: Bao counts colors in units of its first-level cache way (an L1
 * way of 8 KiB on Cortex-A53 makes a Bao color two page colors), so Bao
 * color n covers sphc colors n*k .. n*k+k-1. Each Bao color goes to the
 * owner (hypervisor or cell) holding most of its sphc colors (ties: the
 * owner of the lowest); where a set does not convert exactly, a
 * target-inexact warning says what Bao will use instead. Read-only shared
 * access and interrupt priorities, which Bao cannot express, are warned
 * about too.
 */
#ifndef SPHC_BACKENDS_BAO_H
#define SPHC_BACKENDS_BAO_H

#include "diag/diag.h"
#include "model/model.h"

/*
 * bao_emit - write @outdir/bao/config.c (@outdir exists) for the resolved,
 * checked system @s on board @b. Returns the number of errors reported to
 * @dl (I/O, and target-limit: Bao's footprint); findings about the
 * conversion are warnings. @outdir NULL: report the same findings, write
 * nothing (sphc check).
 */
int bao_emit(const struct m_system *s, const struct m_board *b,
	     const char *outdir, struct diag_list *dl);

/*
 * bao_color_pages - how many LLC page colors make one Bao color on @b:
 * Bao's L1 way size over the page size. *@known is false when the board's
 * L1 geometry is not known to sphc (8 KiB is assumed).
 */
unsigned int bao_color_pages(const struct m_board *b, bool *known);

#endif
