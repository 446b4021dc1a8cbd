/* SPDX-License-Identifier: MIT */
/*
 * `sphc build` targets beyond the sph runtime's own outputs:
 *   bao   bao/config.c                 (backends/bao/)
 *   xen   xen/dom0less.dtsi, .dtbo, passthrough trees, imagebuilder.cfg
 *                                      (backends/xen/), for Xen 4.22 built
 *         with the options each feature needs; xen-4.17 for Xen 4.17 with
 *         its default options (Debian 12's), dropping what that lacks
 *   fit   boot.itb + boot.cmd for U-Boot (backends/fit/); on by default
 *         for every board that is not QEMU's
 *   jailhouse  jailhouse/system.cell + one .cell per other cell
 *         (backends/jailhouse/), revision 14, or 13 with TARGET_JH_REV13,
 *         or 12 (Jailhouse v0.12) with TARGET_JH_REV12
 * Run after the sph and dt backends (fit reads system.bin and the cell
 * DTBs) and before the manifest, so every file is recorded in it.
 */
#ifndef SPHC_BACKENDS_TARGETS_H
#define SPHC_BACKENDS_TARGETS_H

#include "backends/backend.h"

#define TARGET_BAO (1u << 0)
#define TARGET_XEN (1u << 1)
#define TARGET_FIT (1u << 2)
#define TARGET_JAILHOUSE (1u << 3)
#define TARGET_JH_REV13 (1u << 4) /* the older JHSYST/JHCELL layout */
#define TARGET_SPH (1u << 5)	  /* sph's runtime: blobs, hypervisor.ld */
#define TARGET_XEN_417 (1u << 6)  /* xen-4.17: as Debian 12 builds it */
#define TARGET_JH_REV12 (1u << 7) /* Jailhouse v0.12's layout */
#define TARGET_ALL                                                             \
	(TARGET_SPH | TARGET_BAO | TARGET_XEN | TARGET_FIT | TARGET_JAILHOUSE)

/*
 * targets_parse - add the targets named in @list ("sph", "bao", "xen",
 * "xen-4.22", "xen-4.17", "fit", "jailhouse" or "all", comma-separated)
 * to *@mask. fit carries the runtime, so it brings sph along. Returns 0,
 * or -1 at an unknown name.
 */
int targets_parse(const char *list, unsigned int *mask);

/* targets_default - what the runtime brings along on @b: fit on U-Boot
 * boards. */
unsigned int targets_default(const struct m_board *b);

/*
 * targets_check - what the emitters of @mask (bao, xen, jailhouse; fit's
 * free RAM for boot.itb, with @hypervisor, the --hypervisor binary) report
 * for the resolved, error-free system @s on @b, writing nothing: sphc check
 * runs it, so that build reports nothing new but I/O errors. Returns the
 * number of errors.
 */
int targets_check(const struct m_system *s, const struct m_board *b,
		  unsigned int mask, const char *hypervisor,
		  struct diag_list *dl);

/*
 * targets_emit - run the emitters of @mask for plan @p into o->dir and
 * record their files in @o. @hypervisor is the runtime binary for the FIT
 * (NULL: a placeholder). Findings go to @dl, except those targets_check()
 * already reported there. Returns 0, or -1 with o->error set when an
 * emitter failed.
 */
int targets_emit(const struct plan *p, struct out *o, unsigned int mask,
		 const char *hypervisor, struct diag_list *dl);

#endif
