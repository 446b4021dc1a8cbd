/* SPDX-License-Identifier: MIT */
/*
 * The sph blob: the one binary format that `sphc build` writes and the
 * runtime in hypervisor/ reads. This header is its only definition; the
 * compiler and the hypervisor both include it.
 *
 * Layout: a fixed header, then arrays of fixed-size little-endian entries
 * and a string table, each located by a struct sph_array {offset, count}
 * measured from the start of the blob. Offsets are 8-byte aligned; arrays
 * never overlap; every index stored in an entry points inside its array.
 * crc32 is the CRC-32 (IEEE 802.3, as zlib computes it) of the whole blob
 * with the crc32 field itself taken as zero.
 *
 * Bump SPH_VERSION on any change of layout or meaning.
 */
#ifndef SPH_ABI_H
#define SPH_ABI_H

#include <stdint.h> /* freestanding: provided by the compiler */

#define SPH_MAGIC 0x43485053u /* "SPHC" read as a little-endian u32 */
#define SPH_VERSION 3

#define SPH_KIND_SYSTEM 1 /* build/system.bin: every cell */
#define SPH_KIND_CELL 2	  /* build/cells/<name>.bin: one cell alone */

#define SPH_MAX_CPUS 64
#define SPH_COLOR_WORDS 4 /* 256 colors */
#define SPH_NO_INDEX 0xFFFFFFFFu

struct sph_array {
	uint32_t offset; /* bytes from the start of the blob */
	uint32_t count;	 /* entries (bytes for the string table) */
};

struct sph_header {
	uint32_t magic;
	uint16_t version;
	uint16_t header_size; /* sizeof(struct sph_header) */
	uint32_t total_size;  /* bytes, header included */
	uint32_t crc32;
	uint32_t kind;		     /* SPH_KIND_* */
	uint32_t flags;		     /* none defined: must be 0 */
	struct sph_array platform;   /* exactly 1 */
	struct sph_array hypervisor; /* exactly 1 */
	struct sph_array cpus;	     /* the board's CPUs */
	struct sph_array cells;
	struct sph_array regions; /* memory and MMIO of every cell */
	struct sph_array irqs;	  /* interrupts of every cell */
	struct sph_array shared;
	struct sph_array access;  /* shared-region accessors */
	struct sph_array strings; /* NUL-terminated names; count = bytes */
	struct sph_array data;	  /* raw bytes (cell DTBs); count = bytes */
};

/* Interrupt controller and console: what the hypervisor needs of the board. */
struct sph_platform {
	uint64_t gicd_base, gicd_size;
	uint64_t gicr_base, gicr_size, gicr_stride; /* GICv3 */
	uint64_t gicc_base, gicc_size;		    /* GICv2 */
	uint64_t console_base, console_size;
	uint32_t gic_version;
	uint32_t spis;		  /* SPIs wired: INTIDs 32 .. 32+spis-1 */
	uint32_t maintenance_irq; /* INTID */
	uint32_t timer_hyp, timer_virt, timer_phys; /* INTIDs */
	uint32_t console_irq;			    /* INTID, 0 if none */
	uint32_t console_type;			    /* SPH_CONSOLE_* */
	uint32_t page_size;
	uint32_t num_colors; /* 0: no cache coloring possible */
	uint32_t board_name; /* string offset */
	uint32_t reserved;
	/* GICv2 virtualization: the hypervisor's list registers (GICH) and
	 * the virtual CPU interface mapped at a cell's GICC (GICV). */
	uint64_t gich_base, gicv_base, gicv_size;
};

#define SPH_CONSOLE_NONE 0
#define SPH_CONSOLE_PL011 1
#define SPH_CONSOLE_XUARTPS 2
#define SPH_CONSOLE_8250 3

/*
 * The runtime's log when it has no console (console_type
 * SPH_CONSOLE_NONE): SPH_LOG_SIZE bytes of hypervisor memory just below
 * the blob, [blob - SPH_LOG_SIZE, blob), which no cell maps. run-qemu.sh
 * reads it after the run (QEMU's pmemsave). Two rings of whole lines, each
 * line "SEQ TEXT\n" (SEQ: 8 hex digits, the order across both rings):
 * ring 0 the hypervisor's own lines, ring 1 the cells' (prefixed and
 * escaped), so a cell's flood can overwrite only cells' lines. A ring's
 * head counts every byte ever written: byte i is at data[i % size].
 * exited is SPH_LOG_EXITED once status holds the final exit status.
 */
#define SPH_LOG_SIZE 0x10000
#define SPH_LOG_MAGIC 0x31474f4c485053ull /* "SPHLOG1" */
#define SPH_LOG_EXITED 0x54495845u	  /* "EXIT" */
#define SPH_LOG_HYP_RING 0x3f80		  /* bytes of ring 0 */

struct sph_log_ring {
	uint64_t head;	 /* bytes ever written */
	uint64_t offset; /* of its data, from the start of the log */
	uint64_t size;	 /* of its data */
};

struct sph_log {
	uint64_t magic;
	uint32_t exited;
	int32_t status;
	uint64_t seq; /* lines written */
	struct sph_log_ring ring[2];
};

struct sph_hypervisor {
	uint64_t pa, span, size; /* its own memory (see sph_region) */
	uint64_t colors[SPH_COLOR_WORDS];
	uint32_t flags; /* SPH_REGION_COLORED when colored */
	uint32_t reserved;
};

/*
 * vCPUs: a cell with n CPUs sees n vCPUs whose MPIDR_EL1 (as the runtime
 * sets VMPIDR_EL2) has Aff0 = 0 .. n-1 in the order of its board CPU ids,
 * the other affinity fields 0. Its device tree's /cpus/cpu@i has reg = i,
 * and PSCI CPU_ON takes these vCPU MPIDRs, not the board's.
 */
struct sph_cpu {
	uint64_t mpidr;
	uint32_t id;   /* board CPU id */
	uint32_t cell; /* owning cell index, or SPH_NO_INDEX */
};

#define SPH_CELL_CRITICAL (1u << 0)

struct sph_cell {
	uint32_t name;	     /* string offset */
	uint32_t id;	     /* index in the system blob */
	uint32_t flags;	     /* SPH_CELL_* */
	uint32_t boot_order; /* 0 boots first */
	uint64_t cpu_mask;   /* bit n: board CPU id n */
	uint64_t colors[SPH_COLOR_WORDS];
	uint32_t first_region, num_regions;
	uint32_t first_irq, num_irqs;
	uint64_t entry; /* guest-physical entry point */
	uint64_t image_ipa,
		image_size; /* where the payload runs; 0 size: none */
	uint64_t image_pa;  /* where the boot loader put it: the
			     * runtime copies it to image_ipa unless
			     * that already maps to image_pa */
	uint64_t dtb_ipa;   /* where the runtime copies the DTB: the
			     * end of the first region, 64 KiB or
			     * more, 4 KiB aligned */
	uint32_t dtb_offset, dtb_size; /* the cell's DTB in the data array */
	/* An initial RAM disk, placed and copied like the image; its range
	 * is in the DTB's /chosen linux,initrd-start/end. 0 size: none. */
	uint64_t initrd_ipa, initrd_size;
	uint64_t initrd_pa;
	/* The cell's console: a page where the runtime emulates the
	 * transmit side of a PL011 (DR, FR, the ID registers; see
	 * hypervisor/README.md). What the cell writes to it is printed as
	 * "[cell-name] line", like SPH_HC_CONSOLE_*. 0: none. */
	uint64_t vuart_ipa;
};

#define SPH_REGION_READ (1u << 0)
#define SPH_REGION_WRITE (1u << 1)
#define SPH_REGION_EXEC (1u << 2)
#define SPH_REGION_IO (1u << 3)	     /* device memory (MMIO) */
#define SPH_REGION_COLORED (1u << 4) /* only pages of the cell's colors */
#define SPH_REGION_SHARED (1u << 5)  /* a shared region's mapping */

/*
 * A contiguous guest-physical range [ipa, ipa + size) backed by physical
 * memory in [pa, pa + span). Uncolored: span == size, a linear mapping.
 * Colored: the pages of [pa, pa + span) whose color is in the owner's set,
 * in address order, fill the IPA range; span is the smallest such extent.
 */
struct sph_region {
	uint64_t pa, span, ipa, size;
	uint32_t flags;	 /* SPH_REGION_* */
	uint32_t shared; /* sph_shared index, or SPH_NO_INDEX */
	uint32_t device; /* device name string offset, or 0 */
	uint32_t reserved;
};

#define SPH_IRQ_EDGE (1u << 0)

struct sph_irq {
	uint32_t intid;
	uint8_t priority;
	uint8_t flags; /* SPH_IRQ_* */
	uint16_t reserved;
};

#define SPH_SHARED_DOORBELL (1u << 0)

struct sph_shared {
	uint32_t name;	/* string offset */
	uint32_t flags; /* SPH_SHARED_* */
	uint64_t pa, size;
	uint32_t doorbell_irq; /* INTID raised in peers, 0 if none */
	uint32_t first_access, num_access;
	uint32_t reserved;
};

#define SPH_ACCESS_WRITE (1u << 0)

struct sph_access {
	uint32_t cell;	/* cell index */
	uint32_t flags; /* SPH_ACCESS_* */
};

/* Pin the layout: these sizes are the ABI. */
_Static_assert(sizeof(struct sph_array) == 8, "sph_array");
_Static_assert(sizeof(struct sph_header) == 104, "sph_header");
_Static_assert(sizeof(struct sph_platform) == 144, "sph_platform");
_Static_assert(sizeof(struct sph_hypervisor) == 64, "sph_hypervisor");
_Static_assert(sizeof(struct sph_cpu) == 16, "sph_cpu");
_Static_assert(sizeof(struct sph_cell) == 152, "sph_cell");
_Static_assert(sizeof(struct sph_region) == 48, "sph_region");
_Static_assert(sizeof(struct sph_irq) == 8, "sph_irq");
_Static_assert(sizeof(struct sph_shared) == 40, "sph_shared");
_Static_assert(sizeof(struct sph_access) == 8, "sph_access");

#endif
