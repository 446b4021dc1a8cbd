/* SPDX-License-Identifier: MIT */
/* The AArch64 parts of a cell and a vCPU: stage 2, the virtual GIC. */
#ifndef ASM_CELL_H
#define ASM_CELL_H

#include <stdbool.h>
#include <stdint.h>
#include <hyp/lib.h>

/* INTIDs the virtual GIC knows: SGIs, PPIs and SPIs up to 1019. */
#define VGIC_MAX_INTID 1024
#define VGIC_PENDING_MAX 64

/* Notes printed once per cell (bits of arch_cell.noted). */
#define NOTE_IRQ_OVERFLOW 8
#define NOTE_SGI_OUTSIDE 9

struct arch_cell {
	uint64_t *root;	    /* two concatenated level-1 tables */
	uint64_t vttbr;	    /* root | VMID (cell id + 1) << 48 */
	unsigned int noted; /* NOTE_* reported once for this cell */
	/* The emulated distributor (vgic.c), under lock. */
	spinlock_t lock;
	uint32_t gicd_ctlr;
	uint64_t spi_owned[VGIC_MAX_INTID / 64]; /* its devices' SPIs */
	uint64_t doorbell[VGIC_MAX_INTID / 64];	 /* virtual: its doorbells */
	uint64_t enabled[VGIC_MAX_INTID / 64];	 /* doorbells enabled */
	uint8_t *prio;	/* per SPI, as the cell set it */
	uint8_t *route; /* per SPI: target vCPU */
};

/* An interrupt waiting for a list register. */
struct virq {
	uint16_t intid;
	uint8_t prio;
	bool hw; /* the physical INTID is the same, acknowledged at EL2 */
	uint8_t source; /* GICv2 SGI: the sending vCPU */
};

/* A vCPU's virtual GIC state beyond its list registers. */
struct vgic_cpu {
	spinlock_t lock; /* pending[] may be fed by other CPUs */
	unsigned int npending;
	struct virq pending[VGIC_PENDING_MAX]; /* best priority first */
	uint16_t sgi_enabled;
	uint8_t prio[32]; /* SGIs and PPIs */
	uint32_t waker;
};

/* The AArch64 part of a vCPU. */
struct arch_vcpu {
	/* HCR_EL2 while it runs: HCR_CELL, plus TVM from a set/way
	 * operation until the vCPU next turns its caches on (sysreg.c). */
	uint64_t hcr;
	uint8_t gic_target; /* GICv2: this CPU's CPU interface bit */
	uint64_t rd_base;   /* GICv3: this CPU's redistributor */
	struct vgic_cpu vgic;
};

#endif
