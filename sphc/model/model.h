/* SPDX-License-Identifier: MIT */
/*
 * The model: one C struct tree for a board and a system.
 *
 * Built from schema-valid YAML by model_*_from_yaml(), every entity keeps
 * the ynode it came from, so later stages can point at the source. Strings
 * point into the YAML arena: a model lives as long as its ydoc.
 *
 * Fields under "resolved" are filled by the resolve stage (names bound to
 * board devices and cells); checks read them and never change the model.
 */
#ifndef SPHC_MODEL_H
#define SPHC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"
#include "front/ynode.h"

#define SPHC_MAX_CPUS 64
#define SPHC_MAX_COLORS 256

/* A set of LLC colors; bit c set when color c is in the set. */
typedef struct {
	uint64_t w[SPHC_MAX_COLORS / 64];
} colorset_t;

static inline void colorset_add(colorset_t *s, uint32_t c)
{
	s->w[c / 64] |= 1ULL << (c % 64);
}

static inline bool colorset_has(const colorset_t *s, uint32_t c)
{
	return c < SPHC_MAX_COLORS && (s->w[c / 64] >> (c % 64)) & 1;
}

static inline bool colorset_empty(const colorset_t *s)
{
	unsigned int i;

	for (i = 0; i < SPHC_MAX_COLORS / 64; i++)
		if (s->w[i])
			return false;
	return true;
}

static inline bool colorset_intersects(const colorset_t *a, const colorset_t *b)
{
	unsigned int i;

	for (i = 0; i < SPHC_MAX_COLORS / 64; i++)
		if (a->w[i] & b->w[i])
			return true;
	return false;
}

static inline uint32_t colorset_count(const colorset_t *s)
{
	uint32_t i, n = 0;

	for (i = 0; i < SPHC_MAX_COLORS / 64; i++)
		n += (uint32_t)__builtin_popcountll(s->w[i]);
	return n;
}

/* colorset_format - "3-7,9" into @buf; "-" when empty. */
void colorset_format(const colorset_t *set, char *buf, size_t len);

/*
 * Where a memory item landed (filled by the resolve stage).
 * Uncolored: the linear range [pa, pa + span) with span == size.
 * Colored: the pages of [pa, pa + span) whose color is in the owner's set;
 * span is the smallest extent holding size bytes of them.
 * The guest sees [ipa, ipa + size) contiguously in both cases.
 */
struct m_place {
	uint64_t pa, span, ipa;
	bool colored;
	bool placed; /* false when allocation failed */
};

/* --- board ---------------------------------------------------------- */

struct b_reg {
	const char *name; /* RAM regions only */
	uint64_t base, size;
	const struct ynode *node;
};

enum b_trigger { TRIGGER_LEVEL, TRIGGER_EDGE };

struct b_irq {
	uint32_t intid;
	enum b_trigger trigger;
	const struct ynode *node;
};

struct b_device {
	const char *name;
	const struct ynode *node;
	const char *dt_path; /* node path in the board's DT; NULL: unknown */
	const char **compatible;
	size_t ncompatible;
	struct b_reg *regs;
	size_t nregs;
	struct b_irq *irqs;
	size_t nirqs;
	bool shareable;
	uint32_t *stream_ids; /* SMMU stream ids of its DMA */
	size_t nstream_ids;
};

struct b_cpu {
	uint32_t id;
	uint64_t mpidr;
	const struct ynode *node;
};

struct b_gic {
	uint32_t version;
	struct b_reg distributor, redistributor, cpu_interface;
	uint64_t redistributor_stride;
	uint32_t maintenance_irq;
	uint32_t spis;
	const struct ynode *node;
	struct b_reg virtual_control;	    /* GICH, GICv2; size 0: not given */
	struct b_reg virtual_cpu_interface; /* GICV, GICv2; size 0: not given */
};

struct m_board {
	const char *name;
	const char *description;
	const struct ynode *root;
	bool arm32;		       /* arch: arm (Armv7-A), else aarch64 */
	const struct ynode *arch_node; /* where the board says which */
	uint64_t page_size;
	struct b_cpu *cpus;
	size_t ncpus;
	struct b_reg *ram;
	size_t nram;
	uint64_t llc_size, llc_ways, line_size; /* 0 when unknown */
	struct b_gic gic;
	uint32_t timer_hyp, timer_virt, timer_phys, timer_secure;
	const char *console;
	const struct ynode *console_node;
	struct b_device *devices;
	size_t ndevices;
	struct b_reg *iommus; /* name, base, size */
	size_t niommus;
};

/* board_colors - the number of LLC colors; 0 when the cache is unknown. */
uint32_t board_colors(const struct m_board *b);

/* board_device - the device named @name, or NULL. */
const struct b_device *board_device(const struct m_board *b, const char *name);

/* --- system --------------------------------------------------------- */

/* A CPU id, color index or range of them, as written. */
struct m_idrange {
	uint32_t lo, hi;
	const struct ynode *node;
};

/* A set of ids: either a count to allocate, or explicit ranges. */
struct m_idset {
	const struct ynode *node; /* NULL when not given */
	bool by_count;
	uint32_t count;
	struct m_idrange *ranges;
	size_t nranges;
};

struct m_region {
	uint64_t base, size, ipa;
	bool has_base, has_ipa;
	const struct ynode *node;
	struct m_place place; /* resolved */
};

struct m_devref {
	const char *name;
	const struct ynode *node;
	const struct b_device *dev; /* resolved */
	/*
	 * Resolved: a shareable device in shared use, i.e. the hypervisor's
	 * console or listed by another cell too. Its interrupts go to no
	 * cell: the cells sharing it poll.
	 */
	bool shared_use;
};

/* A cell's raw MMIO range: registers that are no board device. */
struct m_mmio {
	uint64_t base, size;
	const char *name; /* NULL: none given */
	const struct ynode *node;
};

struct m_irq {
	uint32_t intid;
	uint32_t priority;
	bool has_priority;
	const struct ynode *node;
};

struct m_cell {
	const char *name;
	const char *description;
	const struct ynode *node, *name_node;
	bool critical;
	struct m_idset cpus;
	struct m_idset colors;
	struct m_region *regions;
	size_t nregions;
	struct m_devref *devices;
	size_t ndevices;
	struct m_mmio *mmio;
	size_t nmmio;
	struct m_irq *irqs;
	size_t nirqs;
	const char *image;
	const struct ynode *image_node;
	const char *initrd; /* initial RAM disk, NULL: none */
	const struct ynode *initrd_node;
	const char *bootargs; /* kernel command line, NULL: none */
	const struct ynode *bootargs_node;
	uint64_t entry;
	const struct ynode *entry_node; /* NULL: first region's ipa */

	/* resolved */
	uint64_t cpumask;    /* bit n: board CPU id n */
	colorset_t colorset; /* empty: uncolored */
	uint32_t
		boot_order; /* 0 boots first: critical cells, then list order */
};

struct m_access {
	const char *cell;
	bool writable;
	const struct ynode *node; /* the key */
	int cell_index;		  /* resolved, -1 if unknown */
};

struct m_shared {
	const char *name;
	const struct ynode *node, *name_node;
	uint64_t size, base;
	bool has_base;
	const struct ynode *size_node;
	struct m_access *access;
	size_t naccess;
	bool doorbell;
	uint32_t doorbell_irq; /* as written (0: allocate) */
	const struct ynode *doorbell_node;
	bool bulk; /* a bulk-transfer buffer (lints its size) */

	/* resolved */
	struct m_place place;
	uint32_t doorbell_intid; /* 0: no doorbell */
};

/* Hypervisor memory when the system does not say: enough for the runtime. */
#define SPHC_DEFAULT_HYP_SIZE (8ULL << 20)

struct m_hypervisor {
	const struct ynode *node; /* NULL when not given */
	struct m_region memory;	  /* size SPHC_DEFAULT_HYP_SIZE if not given */
	bool has_memory;
	struct m_idset colors;
	const char *console; /* resolved: board default if absent */
	const struct ynode *console_node;
	const struct b_device *console_dev; /* resolved; NULL if no_console */
	bool no_console;     /* console: none: every UART may go to cells */
	colorset_t colorset; /* resolved */
};

struct m_system {
	const char *name;
	const char *description;
	const struct ynode *root;
	const char *board; /* as written in the file, or NULL */
	const struct ynode *board_node;
	const char **targets; /* targets:, as written (--target names) */
	size_t ntargets;
	struct m_hypervisor hyp;
	struct m_cell *cells;
	size_t ncells;
	struct m_region *regions; /* owns every cell's regions */
	struct m_shared *shared;
	size_t nshared;
};

/*
 * model_board_from_yaml / model_system_from_yaml - build the model from a
 * schema-valid tree. Values the schema cannot judge (numbers too large for
 * 64 bits, ranges ending before they start) are reported to @dl.
 * Return the number of errors reported.
 */
int model_board_from_yaml(const struct ynode *root, struct m_board *b,
			  struct diag_list *dl);
int model_system_from_yaml(const struct ynode *root, struct m_system *s,
			   struct diag_list *dl);

void model_board_free(struct m_board *b);
void model_system_free(struct m_system *s);

/*
 * model_resolve - bind names: cell devices and the console to board devices,
 * shared-region access entries to cells. Unknown names are reported
 * (unknown-device, unknown-cell). Returns the number of errors reported.
 */
int model_resolve(struct m_system *s, const struct m_board *b,
		  struct diag_list *dl);

/* model_cell_index - the index of cell @name, or -1. */
int model_cell_index(const struct m_system *s, const char *name);

#endif
