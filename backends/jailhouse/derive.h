/* SPDX-License-Identifier: MIT */
/*
 * A board file derived from Jailhouse configurations, for `sphc import
 * jailhouse` when no built-in board fits: what the system configuration
 * says of the hardware (GIC, debug console, IOMMU units) and what the
 * cells use (CPUs, RAM). What the configs do not say is guessed, and the
 * file says which lines are guesses.
 */
#ifndef SPHC_BACKENDS_JAILHOUSE_DERIVE_H
#define SPHC_BACKENDS_JAILHOUSE_DERIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diag/diag.h"

/* The first line of every derived board: what may be overwritten. */
#define JH_DERIVED_MARK "# Derived by sphc import jailhouse"

struct jh_range {
	uint64_t base, size;
};

struct jh_board_facts {
	const char *name;   /* the board's name (an sphc name) */
	const char *origin; /* the system configuration's file */
	const char *root;   /* the root cell's name */
	bool arm32;	    /* 32-bit ARM configs: arch: arm */
	unsigned int gic_version;
	uint64_t gicd, gicc, gich, gicv, gicr;
	unsigned int maintenance_irq;
	uint64_t cpus;	      /* bit i: CPU i, as any cell's CPU set has it */
	struct jh_range *ram; /* every cell's RAM and the hypervisor's */
	size_t nram;
	uint64_t con_addr; /* 0: none */
	uint16_t con_type; /* JH_CON_TYPE_* */
	struct jh_range iommu[8];
	size_t niommu;
};

/*
 * jh_board_write - write the board of @f to @path, atomically, unless a
 * file there was not written by this function (its first line is not
 * JH_DERIVED_MARK): then an io-error at @at and -1.
 */
int jh_board_write(const struct jh_board_facts *f, const char *path,
		   struct loc at, struct diag_list *dl);

#endif
