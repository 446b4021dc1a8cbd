// SPDX-License-Identifier: MIT
/*
 * The Jailhouse reader (`sphc import jailhouse`): decodes Jailhouse's binary
 * configurations (revision 12, 13 or 14, arm64 or 32-bit ARM), checks each
 * config's regions as declared (lint.c: what Jailhouse's own checker finds,
 * before anything is merged), then writes the sphc description they amount
 * to, so that shipped configs can be migrated and checked: `sphc check` then
 * finds what Jailhouse's checker does not look for (memory of two cells
 * overlapping, an interrupt routed twice, shared memory mapped
 * inconsistently).
 *
 * The reading is the inverse of the Jailhouse backend's mapping (see
 * backends/jailhouse/jailhouse.h), applied to any config:
 *   - the system config's root cell becomes the first cell, so it is the
 *     root cell again when the description is built for Jailhouse; it
 *     keeps its regions as declared (not merged, so that `sphc check` finds
 *     two of them on the same pages) minus the other cells' RAM and shared
 *     memory it does not declare itself (Jailhouse takes those from the
 *     root), its CPUs minus the other cells', and the board devices only
 *     it maps (never the hypervisor console);
 *   - MMIO is a region with IO or an access-width flag, or one that is not
 *     whole pages (Jailhouse traps those whatever their flags); of the
 *     rest, a region with EXECUTE is a cell's RAM, one without (and
 *     without COMM_REGION) is shared memory: regions with the same
 *     physical range in several configs are one shared region, rw where
 *     WRITE is set; the root has access through its own entry for the
 *     range, or when another cell marks it ROOTSHARED inside the root's RAM;
 *   - MMIO is matched against the board's devices: a device whose
 *     registers a cell maps entirely is that cell's, except the hypervisor's
 *     debug console, which Jailhouse lets cells map and sphc keeps for the
 *     hypervisor (said, with its interrupts left out); what each MMIO
 *     region covers outside the board's devices is the cell's raw `mmio:`
 *     (the root keeps what no other cell maps);
 *   - a cell's interrupts that are not its devices' become `irqs:`;
 *   - the board is --board, or the built-in board whose GIC distributor
 *     (and console) sit where the system config says.
 * What has no sphc equivalent (ivshmem PCI devices, IOMMU units, cache regions,
 * PIO, the 32-bit architecture) is reported under target-unsupported.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "front/boardpath.h"
#include "diag/diag.h"
#include "check/input.h"
#include "backends/jailhouse/derive.h"
#include "backends/jailhouse/jailhouse.h"
#include "model/model.h"
#include "front/number.h"
#include "validate/schema.h"
#include "backends/jailhouse/lint.h"
#include "backends/jailhouse/ranges.h"
#include "lib/atomic.h"
#include "lib/quote.h"
#include "lib/util.h"

#ifndef SPHC_VERSION
#define SPHC_VERSION "0.0.0-dev"
#endif

/* --- decoding ------------------------------------------------------------- */

struct jcell {
	const char *path;
	struct source *src; /* the file, for diagnostics */
	char name[JH_CELL_NAME_LEN + 1];
	char *yname; /* as an sphc name */
	uint32_t flags;
	uint64_t cpus;
	struct jh_mem *mem;
	uint32_t nmem;
	uint32_t intids[32]; /* bit i: INTID i */
	uint64_t reset;
	uint32_t npci, ncache, npio;
	uint64_t con_addr; /* the cell's console, 0: none */
	uint16_t con_type;
};

struct jiommu {
	uint32_t type;
	uint64_t base, size;
};

struct jsys {
	int revision;
	unsigned int arch; /* JH_ARCH_*; revisions 12, 13: 0, unknown */
	uint64_t hyp_pa, hyp_size;
	uint64_t con_addr;
	uint16_t con_type;
	uint8_t gic_version, maintenance_irq;
	uint64_t gicd, gicc, gich, gicv, gicr;
	uint64_t mmcfg_base, mmcfg_size;
	struct jiommu iommu[JH_MAX_IOMMU_UNITS];
};

static struct loc file_loc(const struct jcell *c)
{
	return (struct loc){ c->src, 0, 0 };
}

/*
 * The 8 bytes in front of a descriptor: signature, architecture (14) and
 * revision. Returns the revision and sets *@arch (0 before revision 14,
 * which does not say), or returns -1 after reporting what is wrong.
 */
static int check_header(const uint8_t *d, const char *sig6, const char *sig5,
			const struct jcell *c, unsigned int *arch,
			struct diag_list *dl)
{
	int rev = (int)JH_GET(d, struct jailhouse_header, revision);

	*arch = (unsigned int)JH_GET(d, struct jailhouse_header, architecture);
	if (!memcmp(d, sig6, 6)) {
		*arch = 0;
		if (rev == 12 || rev == 13)
			return rev;
		diag_report(
			dl, RULE_TARGET_LIMIT, file_loc(c),
			"configuration revision %d is not supported (12, 13 or 14)",
			rev);
		return -1;
	}
	if (!memcmp(d, sig5, 5)) {
		if (*arch != JH_ARCH_ARM64 && *arch != JH_ARCH_ARM) {
			diag_report(
				dl, RULE_TARGET_LIMIT, file_loc(c),
				"configuration for architecture %u, not arm (1) or arm64 (2)",
				*arch);
			return -1;
		}
		if (rev == 14)
			return rev;
		diag_report(
			dl, RULE_TARGET_LIMIT, file_loc(c),
			"configuration revision %d is not supported (12, 13 or 14)",
			rev);
		return -1;
	}
	diag_report(
		dl, RULE_BAD_VALUE, file_loc(c),
		"not a Jailhouse %s configuration (no \"%s\" or \"%s\" signature)",
		sig5[2] == 'S' ? "system" : "cell", sig6, sig5);
	return -1;
}

/* Decode a descriptor at @off and its arrays. Returns the end, 0 on error. */
static size_t decode_cell(const uint8_t *d, size_t len, size_t off,
			  uint64_t gicd, struct jcell *c, struct diag_list *dl)
{
	uint32_t cpu_bytes, nchips, npcicaps, nsid, i, k;
	size_t p = off + sizeof(struct jailhouse_cell_desc), need;
	const uint8_t *at = d + off;

	if (len < p) {
		diag_report(
			dl, RULE_BAD_VALUE, file_loc(c),
			"truncated: %zu bytes, the cell descriptor alone needs %zu",
			len, p);
		return 0;
	}
	memcpy(c->name, at + offsetof(struct jailhouse_cell_desc, name),
	       JH_CELL_NAME_LEN);
	c->name[JH_CELL_NAME_LEN - 1] = '\0';
	/* Printable ASCII only: it goes into messages and YAML strings. */
	for (i = 0; c->name[i]; i++)
		if (c->name[i] < 0x20 || c->name[i] > 0x7e ||
		    c->name[i] == '"' || c->name[i] == '\\' ||
		    c->name[i] == '\'')
			c->name[i] = '?';
	c->flags = (uint32_t)JH_GET(at, struct jailhouse_cell_desc, flags);
	cpu_bytes =
		(uint32_t)JH_GET(at, struct jailhouse_cell_desc, cpu_set_size);
	c->nmem = (uint32_t)JH_GET(at, struct jailhouse_cell_desc,
				   num_memory_regions);
	c->ncache = (uint32_t)JH_GET(at, struct jailhouse_cell_desc,
				     num_cache_regions);
	nchips = (uint32_t)JH_GET(at, struct jailhouse_cell_desc, num_irqchips);
	c->npio = (uint32_t)JH_GET(at, struct jailhouse_cell_desc,
				   num_pio_regions);
	c->npci = (uint32_t)JH_GET(at, struct jailhouse_cell_desc,
				   num_pci_devices);
	npcicaps =
		(uint32_t)JH_GET(at, struct jailhouse_cell_desc, num_pci_caps);
	nsid = (uint32_t)JH_GET(at, struct jailhouse_cell_desc, num_stream_ids);
	c->reset = JH_GET(at, struct jailhouse_cell_desc, cpu_reset_address);
	c->con_addr = JH_GET(at, struct jailhouse_cell_desc, console.address);
	c->con_type =
		(uint16_t)JH_GET(at, struct jailhouse_cell_desc, console.type);

	need = (size_t)cpu_bytes +
	       (size_t)c->nmem * sizeof(struct jailhouse_memory) +
	       (size_t)c->ncache * JH_CACHE_SIZE +
	       (size_t)nchips * sizeof(struct jailhouse_irqchip) +
	       (size_t)c->npio * JH_PIO_SIZE +
	       (size_t)c->npci * JH_PCI_DEVICE_SIZE +
	       (size_t)npcicaps * JH_PCI_CAP_SIZE +
	       (size_t)nsid * JH_STREAM_ID_SIZE;
	if (cpu_bytes > 4096 || c->nmem > 65536 || nchips > 65536 ||
	    len - p < need) {
		diag_report(
			dl, RULE_BAD_VALUE, file_loc(c),
			"truncated or corrupt: the counts of cell '%s' need %zu bytes after its descriptor, the file has %zu",
			c->name, need, len - p);
		return 0;
	}
	for (i = 0; i < cpu_bytes; i++) {
		if (i < 8)
			c->cpus |= (uint64_t)d[p + i] << (8 * i);
		else if (d[p + i])
			diag_report(
				dl, RULE_TARGET_UNSUPPORTED, file_loc(c),
				"cell '%s' has CPUs above 63; sphc boards have at most 64",
				c->name);
	}
	p += cpu_bytes;
	c->mem = xcalloc(c->nmem + 1, sizeof(*c->mem));
	for (i = 0; i < c->nmem; i++, p += sizeof(struct jailhouse_memory)) {
		c->mem[i].phys =
			JH_GET(d + p, struct jailhouse_memory, phys_start);
		c->mem[i].virt =
			JH_GET(d + p, struct jailhouse_memory, virt_start);
		c->mem[i].size = JH_GET(d + p, struct jailhouse_memory, size);
		c->mem[i].flags = JH_GET(d + p, struct jailhouse_memory, flags);
	}
	p += (size_t)c->ncache * JH_CACHE_SIZE;
	for (i = 0; i < nchips; i++, p += sizeof(struct jailhouse_irqchip)) {
		uint64_t addr =
			JH_GET(d + p, struct jailhouse_irqchip, address);
		uint32_t base = (uint32_t)JH_GET(
			d + p, struct jailhouse_irqchip, pin_base);

		if (addr != gicd) {
			diag_report(dl, RULE_TARGET_UNSUPPORTED, file_loc(c),
				    "cell '%s': irqchip %u is at 0x%" PRIx64
				    ", not the GIC distributor; ignored",
				    c->name, i, addr);
			continue;
		}
		for (k = 0; k < 128; k++) {
			uint32_t word = (uint32_t)JH_GET(
				d + p + 4 * (k / 32), struct jailhouse_irqchip,
				pin_bitmap[0]);
			uint32_t intid = base + k;

			if (word >> (k % 32) & 1 && intid < 1024)
				c->intids[intid / 32] |= 1U << (intid % 32);
		}
	}
	p += (size_t)c->npio * JH_PIO_SIZE +
	     (size_t)c->npci * JH_PCI_DEVICE_SIZE +
	     (size_t)npcicaps * JH_PCI_CAP_SIZE +
	     (size_t)nsid * JH_STREAM_ID_SIZE;
	if (c->npci)
		diag_report(
			dl, RULE_TARGET_UNSUPPORTED, file_loc(c),
			"cell '%s' has %u PCI device%s (ivshmem or passed through); sphc has no PCI: their memory regions are read as plain shared memory",
			c->name, c->npci, c->npci == 1 ? "" : "s");
	if (c->ncache || c->npio)
		diag_report(
			dl, RULE_TARGET_UNSUPPORTED, file_loc(c),
			"cell '%s': cache and port I/O regions are x86 features and are not imported",
			c->name);
	return p;
}

static void trailing(const struct jcell *c, size_t end, size_t len,
		     struct diag_list *dl)
{
	if (end < len)
		diag_report(
			dl, RULE_TARGET_UNSUPPORTED, file_loc(c),
			"%zu bytes after the end of the configuration are ignored",
			len - end);
}

/* The platform part of a system config: where revision 12 differs. */
#define PLATFORM(d, rev12, field)                                              \
	((rev12) ? JH_GET(d, struct jailhouse_system_rev12, field)             \
		 : JH_GET(d, struct jailhouse_system, field))

static void decode_iommus(const uint8_t *d, bool rev12, struct jsys *s)
{
	size_t i, at = rev12 ? offsetof(struct jailhouse_system_rev12,
					platform_info.arm.iommu_units)
			     : offsetof(struct jailhouse_system,
					platform_info.iommu_units);

	for (i = 0; i < JH_MAX_IOMMU_UNITS;
	     i++, at += sizeof(struct jailhouse_iommu)) {
		s->iommu[i].type =
			(uint32_t)JH_GET(d + at, struct jailhouse_iommu, type);
		s->iommu[i].base = JH_GET(d + at, struct jailhouse_iommu, base);
		s->iommu[i].size = JH_GET(d + at, struct jailhouse_iommu, size);
	}
}

static int decode_system(const uint8_t *d, size_t len, struct jsys *s,
			 struct jcell *root, struct diag_list *dl)
{
	size_t root_at = offsetof(struct jailhouse_system, root_cell), end;
	bool r12;

	if (len < sizeof(struct jailhouse_header)) {
		diag_report(
			dl, RULE_BAD_VALUE, file_loc(root),
			"truncated: %zu bytes, a system configuration has at least %zu",
			len, sizeof(struct jailhouse_system_rev12));
		return -1;
	}
	s->revision = check_header(d, JH_SIG_SYSTEM_REV13, JH_SIG_SYSTEM, root,
				   &s->arch, dl);
	if (s->revision < 0)
		return -1;
	r12 = s->revision == 12;
	if (r12)
		root_at = offsetof(struct jailhouse_system_rev12, root_cell);
	if (len < root_at) {
		diag_report(
			dl, RULE_BAD_VALUE, file_loc(root),
			"truncated: %zu bytes, a revision %d system configuration has at least %zu",
			len, s->revision,
			root_at + sizeof(struct jailhouse_cell_desc));
		return -1;
	}
	s->hyp_pa = JH_GET(d, struct jailhouse_system,
			   hypervisor_memory.phys_start);
	s->hyp_size =
		JH_GET(d, struct jailhouse_system, hypervisor_memory.size);
	s->con_addr = JH_GET(d, struct jailhouse_system, debug_console.address);
	s->con_type = (uint16_t)JH_GET(d, struct jailhouse_system,
				       debug_console.type);
	s->maintenance_irq =
		(uint8_t)PLATFORM(d, r12, platform_info.arm.maintenance_irq);
	s->gic_version =
		(uint8_t)PLATFORM(d, r12, platform_info.arm.gic_version);
	s->gicd = PLATFORM(d, r12, platform_info.arm.gicd_base);
	s->gicc = PLATFORM(d, r12, platform_info.arm.gicc_base);
	s->gich = PLATFORM(d, r12, platform_info.arm.gich_base);
	s->gicv = PLATFORM(d, r12, platform_info.arm.gicv_base);
	s->gicr = PLATFORM(d, r12, platform_info.arm.gicr_base);
	decode_iommus(d, r12, s);
	if (s->gic_version != 2 && s->gic_version != 3) {
		diag_report(dl, RULE_BAD_VALUE, file_loc(root),
			    "GIC version %u: not an ARM system configuration",
			    s->gic_version);
		return -1;
	}
	s->mmcfg_base = JH_GET(d, struct jailhouse_system,
			       platform_info.pci_mmconfig_base);
	if (s->mmcfg_base) {
		/* One MiB of ECAM per bus. */
		s->mmcfg_size =
			((uint64_t)JH_GET(d, struct jailhouse_system,
					  platform_info.pci_mmconfig_end_bus) +
			 1)
			<< 20;
		diag_report(dl, RULE_TARGET_UNSUPPORTED, file_loc(root),
			    "the virtual PCI host (ECAM at 0x%" PRIx64
			    ") is not imported",
			    s->mmcfg_base);
	}
	end = decode_cell(d, len, root_at, s->gicd, root, dl);
	if (!end)
		return -1;
	trailing(root, end, len, dl);
	return 0;
}

/* --- boards --------------------------------------------------------------- */

struct loaded_board {
	char *path;
	struct source *src;
	struct ydoc doc;
	struct m_board b;
	bool have_doc, have_model;
	bool derived; /* written by derive_board() */
};

/*
 * With @keep, the board's text goes onto that list instead of being freed:
 * findings located in the board are printed after the import returns.
 */
static void board_free(struct loaded_board *lb, struct source **keep)
{
	if (lb->have_model)
		model_board_free(&lb->b);
	if (lb->have_doc)
		ydoc_free(&lb->doc);
	if (keep && lb->src) {
		lb->src->next = *keep;
		*keep = lb->src;
	} else {
		source_free_all(lb->src);
	}
	free(lb->path);
	memset(lb, 0, sizeof(*lb));
}

static int board_load(struct loaded_board *lb, const char *spec,
		      struct diag_list *dl)
{
	struct schema *sch;
	int bad;

	memset(lb, 0, sizeof(*lb));
	lb->path = boardpath_find(spec, NULL);
	if (!lb->path)
		return -1;
	lb->src = source_load(lb->path);
	if (!lb->src)
		return -1;
	lb->have_doc = true;
	if (ydoc_parse(lb->src, &lb->doc, dl) || !lb->doc.root)
		return -1;
	sch = schema_load(SCHEMA_BOARD);
	bad = !sch || schema_validate(sch, lb->doc.root,
				      (struct loc){ lb->src, 1, 1 }, dl);
	schema_free(sch);
	if (bad)
		return -1;
	lb->have_model = true;
	return model_board_from_yaml(lb->doc.root, &lb->b, dl) ? -1 : 0;
}

static bool device_at(const struct m_board *b, uint64_t addr)
{
	size_t i, k;

	for (i = 0; i < b->ndevices; i++)
		for (k = 0; k < b->devices[i].nregs; k++)
			if (addr >= b->devices[i].regs[k].base &&
			    addr < b->devices[i].regs[k].base +
					    b->devices[i].regs[k].size)
				return true;
	return false;
}

static bool is_ram(const struct jh_mem *m);

/* Whether @b's RAM holds the hypervisor's and the root cell's RAM. */
static bool ram_fits(const struct m_board *b, const struct jsys *s,
		     const struct jcell *root)
{
	struct ranges ram = { 0 };
	bool ok;
	size_t k;
	uint32_t j;

	for (k = 0; k < b->nram; k++)
		ranges_add(&ram, b->ram[k].base,
			   b->ram[k].base + b->ram[k].size);
	ranges_merge(&ram);
	ok = s->hyp_size <= UINT64_MAX - s->hyp_pa &&
	     ranges_cover(&ram, s->hyp_pa, s->hyp_pa + s->hyp_size);
	for (j = 0; j < root->nmem; j++) {
		const struct jh_mem *m = &root->mem[j];

		if (is_ram(m))
			ok &= m->size <= UINT64_MAX - m->phys &&
			      ranges_cover(&ram, m->phys, m->phys + m->size);
	}
	free(ram.v);
	return ok;
}

/* Whether @b has every CPU the root cell lists. */
static bool cpus_fit(const struct m_board *b, const struct jcell *root)
{
	uint64_t have = 0;
	size_t k;

	for (k = 0; k < b->ncpus; k++)
		if (b->cpus[k].id < 64)
			have |= 1ULL << b->cpus[k].id;
	return !(root->cpus & ~have);
}

static void list_add(char **list, const char *name)
{
	char *next = xasprintf("%s%s%s", *list, **list ? ", " : "", name);

	free(*list);
	*list = next;
}

/*
 * The built-in board whose GIC is where the system config says and whose
 * RAM holds the hypervisor's and the root cell's RAM, preferring one with
 * a device at the debug console's address, then one with all the root
 * cell's CPUs.
 */
/* Whether board @b is of the configs' architecture (unknown before 14). */
static bool arch_fits(const struct m_board *b, const struct jsys *s)
{
	if (s->arch == JH_ARCH_ARM)
		return b->arm32;
	return s->arch != JH_ARCH_ARM64 || !b->arm32;
}

static int guess_board(struct loaded_board *lb, const struct jsys *s,
		       const struct jcell *root, bool *none,
		       struct diag_list *dl)
{
	bool none_ok = *none;
	const char *derivable =
		", or give -o FILE: the import then derives one beside it";
	char **names = boardpath_list(), *list = xstrdup(""),
	     *near = xstrdup("");
	int best = -1, nbest = 0, score;
	size_t i;

	for (i = 0; names[i]; i++) {
		struct loaded_board cand;
		struct diag_list quiet;

		diag_init(&quiet);
		if (!board_load(&cand, names[i], &quiet) &&
		    arch_fits(&cand.b, s) &&
		    cand.b.gic.distributor.base == s->gicd &&
		    cand.b.gic.version == s->gic_version) {
			if (!ram_fits(&cand.b, s, root)) {
				list_add(&near, names[i]);
				goto next;
			}
			score = 1 + 2 * device_at(&cand.b, s->con_addr) +
				cpus_fit(&cand.b, root);
			if (score > best) {
				best = score;
				nbest = 0;
				free(list);
				list = xstrdup("");
			}
			if (score == best) {
				list_add(&list, names[i]);
				nbest++;
			}
		}
	next:
		board_free(&cand, NULL);
		diag_free(&quiet);
	}
	*none = !nbest;
	if (nbest == 1) {
		board_load(lb, list, dl);
	} else if (!nbest && none_ok) {
		/* The caller derives a board from the configs. */
	} else if (!nbest && *near) {
		diag_report(
			dl, RULE_UNKNOWN_BOARD, file_loc(root),
			"no built-in board fits: %s %s the GICv%u distributor at 0x%" PRIx64
			" but not the RAM of the root cell and the hypervisor; name a board with --board%s",
			near, strchr(near, ',') ? "have" : "has",
			s->gic_version, s->gicd, derivable);
	} else if (!nbest) {
		diag_report(
			dl, RULE_UNKNOWN_BOARD, file_loc(root),
			"no built-in board has a GICv%u distributor at 0x%" PRIx64
			"; name one with --board%s",
			s->gic_version, s->gicd, derivable);
	} else {
		diag_report(
			dl, RULE_UNKNOWN_BOARD, file_loc(root),
			"several boards fit this configuration (%s); choose one with --board",
			list);
	}
	free(list);
	free(near);
	boardpath_list_free(names);
	return nbest == 1 && lb->have_model ? 0 : -1;
}

/* --- reading the configs as sphc resources -------------------------------- */

/*
 * MMIO: IO set, or an access-width flag, or not whole pages (Jailhouse
 * traps and emulates sub-page regions, whatever their other flags say).
 */
static bool is_mmio(const struct jh_mem *m)
{
	return m->size && !(m->flags & JH_MEM_COMM_REGION) &&
	       ((m->flags & (JH_MEM_IO | JH_MEM_IO_ACCESS)) ||
		(m->virt | m->size) & 0xfff);
}

static bool is_ram(const struct jh_mem *m)
{
	return m->size && !(m->flags & JH_MEM_COMM_REGION) && !is_mmio(m) &&
	       (m->flags & JH_MEM_EXECUTE);
}

static bool is_plain(const struct jh_mem *m)
{
	return m->size && !(m->flags & JH_MEM_COMM_REGION) && !is_mmio(m) &&
	       !(m->flags & JH_MEM_EXECUTE);
}

#define MAX_PEERS 64

/* MMIO of cell @cell that is no board device: part of region #region. */
struct raw_piece {
	uint64_t start, end;
	uint32_t region, cell;
};

/* Part of a root cell region the root keeps: [start, end) of region #region. */
struct root_piece {
	uint64_t start, end;
	uint32_t region;
};

struct shm {
	uint64_t phys, size;
	char *name;
	int access[MAX_PEERS]; /* per cell: 0 none, 1 ro, 2 rw */
	bool rootshared;
};

struct imp {
	struct jsys sys;
	struct jcell *cells; /* [0] is the root cell */
	size_t ncells;
	const struct m_board *b;
	struct diag_list *dl;
	struct shm *shm;
	size_t nshm, shm_cap;
	struct root_piece *root_ram; /* what the root cell owns */
	size_t nroot_ram, root_ram_cap;
	struct raw_piece *mmio; /* every cell's, by cell and region */
	size_t nmmio, mmio_cap;
	bool **owns;	    /* [cell][device] */
	bool *maps_console; /* [cell]: maps it, but is not given it */
	char *board_path;   /* --board FILE, relative to the output */
};

static struct shm *shm_find(struct imp *im, uint64_t phys, uint64_t size)
{
	size_t i;

	for (i = 0; i < im->nshm; i++)
		if (im->shm[i].phys == phys && im->shm[i].size == size)
			return &im->shm[i];
	VEC_RESERVE(im->shm, im->nshm, im->shm_cap);
	memset(&im->shm[im->nshm], 0, sizeof(im->shm[0]));
	im->shm[im->nshm].phys = phys;
	im->shm[im->nshm].size = size;
	return &im->shm[im->nshm++];
}

static int shm_cmp(const void *a, const void *b)
{
	const struct shm *x = a, *y = b;

	return x->phys < y->phys ? -1 : x->phys > y->phys;
}

/* Shared regions: plain memory of the non-root cells, then the root's view. */
static void find_shared(struct imp *im)
{
	struct ranges root_ram = { 0 };
	size_t i, k;
	uint32_t j;

	for (i = 1; i < im->ncells && i < MAX_PEERS; i++) {
		const struct jcell *c = &im->cells[i];

		for (j = 0; j < c->nmem; j++) {
			const struct jh_mem *m = &c->mem[j];
			struct shm *sh;

			if (!is_plain(m))
				continue;
			sh = shm_find(im, m->phys, m->size);
			sh->access[i] = m->flags & JH_MEM_WRITE ? 2 : 1;
			sh->rootshared |= !!(m->flags & JH_MEM_ROOTSHARED);
			if (m->virt != m->phys)
				diag_report(
					im->dl, RULE_TARGET_UNSUPPORTED,
					file_loc(c),
					"cell '%s' maps shared memory 0x%" PRIx64
					" at guest-physical 0x%" PRIx64
					"; sphc maps shared memory at its physical address",
					c->name, m->phys, m->virt);
		}
	}
	for (j = 0; j < im->cells[0].nmem; j++) {
		const struct jh_mem *m = &im->cells[0].mem[j];

		if (is_ram(m))
			ranges_add(&root_ram, m->phys, m->phys + m->size);
	}
	ranges_merge(&root_ram);
	for (k = 0; k < im->nshm; k++) {
		struct shm *sh = &im->shm[k];

		for (j = 0; j < im->cells[0].nmem; j++) {
			const struct jh_mem *m = &im->cells[0].mem[j];

			if (is_plain(m) && m->phys == sh->phys &&
			    m->size == sh->size)
				sh->access[0] = m->flags & JH_MEM_WRITE ? 2 : 1;
		}
		if (!sh->access[0] && sh->rootshared &&
		    ranges_cover(&root_ram, sh->phys, sh->phys + sh->size))
			sh->access[0] = 2;
	}
	free(root_ram.v);
	if (im->nshm)
		qsort(im->shm, im->nshm, sizeof(*im->shm), shm_cmp);
	for (k = 0; k < im->nshm; k++) {
		im->shm[k].name = xasprintf("shm%zu", k);
		for (i = 0; i < im->ncells; i++)
			if (!strcmp(im->cells[i].yname, im->shm[k].name)) {
				free(im->shm[k].name);
				im->shm[k].name = xasprintf("shm%zu-shared", k);
			}
	}
}

/*
 * The root cell's RAM: each region its config maps, as declared, minus what
 * Jailhouse takes from the root when the other cells are created (their
 * memory, and shared memory the root does not declare itself). Nothing is
 * merged and nothing else is taken out, so two of the root's regions on the
 * same pages (RAM over its own ivshmem region, a loader region inside RAM,
 * RAM over the hypervisor) stay in the description for `sphc check`.
 */
static bool root_declares(const struct jcell *root, uint64_t phys,
			  uint64_t size)
{
	uint32_t j;

	for (j = 0; j < root->nmem; j++)
		if (is_plain(&root->mem[j]) && root->mem[j].phys == phys &&
		    root->mem[j].size == size)
			return true;
	return false;
}

static int piece_cmp(const void *a, const void *b)
{
	const struct root_piece *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->region < y->region ? -1 : x->region > y->region;
}

static void find_root_ram(struct imp *im)
{
	struct ranges holes = { 0 };
	const struct jcell *root = &im->cells[0];
	size_t i, k;
	uint32_t j;

	for (i = 1; i < im->ncells; i++)
		for (j = 0; j < im->cells[i].nmem; j++)
			if (is_ram(&im->cells[i].mem[j]))
				ranges_add(&holes, im->cells[i].mem[j].phys,
					   im->cells[i].mem[j].phys +
						   im->cells[i].mem[j].size);
	for (k = 0; k < im->nshm; k++)
		if (!root_declares(root, im->shm[k].phys, im->shm[k].size))
			ranges_add(&holes, im->shm[k].phys,
				   im->shm[k].phys + im->shm[k].size);
	ranges_merge(&holes);
	for (j = 0; j < root->nmem; j++) {
		const struct jh_mem *m = &root->mem[j];
		struct ranges one = { 0 }, left = { 0 };
		bool shared = false;

		for (k = 0; k < im->nshm; k++)
			shared |= im->shm[k].phys == m->phys &&
				  im->shm[k].size == m->size;
		if (!is_ram(m) && !(is_plain(m) && !shared))
			continue;
		ranges_add(&one, m->phys, m->phys + m->size);
		ranges_subtract(&one, &holes, &left);
		for (k = 0; k < left.n; k++) {
			VEC_RESERVE(im->root_ram, im->nroot_ram,
				    im->root_ram_cap);
			im->root_ram[im->nroot_ram++] =
				(struct root_piece){ left.v[k].start,
						     left.v[k].end, j };
		}
		free(one.v);
		free(left.v);
	}
	free(holes.v);
	/* By address, as before: the first region is the lowest. */
	if (im->nroot_ram)
		qsort(im->root_ram, im->nroot_ram, sizeof(*im->root_ram),
		      piece_cmp);
}

static void io_ranges(const struct jcell *c, struct ranges *r)
{
	uint32_t j;

	for (j = 0; j < c->nmem; j++)
		if (is_mmio(&c->mem[j]))
			ranges_add(r, c->mem[j].phys,
				   c->mem[j].phys + c->mem[j].size);
	ranges_merge(r);
}

static const struct b_device *hyp_console(const struct imp *im)
{
	size_t i, k;

	if (!im->sys.con_addr)
		return NULL;
	for (i = 0; i < im->b->ndevices; i++)
		for (k = 0; k < im->b->devices[i].nregs; k++) {
			const struct b_reg *r = &im->b->devices[i].regs[k];

			if (im->sys.con_addr >= r->base &&
			    im->sys.con_addr < r->base + r->size)
				return &im->b->devices[i];
		}
	return NULL;
}

/*
 * MMIO that is no board device: each MMIO region of cell @ci minus the
 * board's devices, kept per region (as declared, never merged) as the
 * cell's raw `mmio:`.
 */
static void raw_mmio(struct imp *im, size_t ci, const struct ranges *devs)
{
	const struct jcell *c = &im->cells[ci];
	uint32_t j;
	size_t k;

	for (j = 0; j < c->nmem; j++) {
		struct ranges one = { 0 }, left = { 0 };

		if (!is_mmio(&c->mem[j]))
			continue;
		ranges_add(&one, c->mem[j].phys,
			   c->mem[j].phys + c->mem[j].size);
		ranges_subtract(&one, devs, &left);
		for (k = 0; k < left.n; k++) {
			VEC_RESERVE(im->mmio, im->nmmio, im->mmio_cap);
			im->mmio[im->nmmio++] = (struct raw_piece){
				left.v[k].start, left.v[k].end, j, (uint32_t)ci
			};
		}
		free(one.v);
		free(left.v);
	}
}

/*
 * The root lists the other cells' MMIO too (Jailhouse takes it from the
 * root when they are created): the root keeps what is left.
 */
static void root_mmio(struct imp *im)
{
	struct ranges others = { 0 };
	struct raw_piece *v = NULL;
	size_t i, k, n = 0, cap = 0;

	for (i = 0; i < im->nmmio; i++)
		if (im->mmio[i].cell != 0)
			ranges_add(&others, im->mmio[i].start, im->mmio[i].end);
	ranges_merge(&others);
	for (i = 0; i < im->nmmio; i++) {
		struct ranges one = { 0 }, left = { 0 };

		if (im->mmio[i].cell != 0) {
			VEC_RESERVE(v, n, cap);
			v[n++] = im->mmio[i];
			continue;
		}
		ranges_add(&one, im->mmio[i].start, im->mmio[i].end);
		ranges_subtract(&one, &others, &left);
		for (k = 0; k < left.n; k++) {
			VEC_RESERVE(v, n, cap);
			v[n] = im->mmio[i];
			v[n].start = left.v[k].start;
			v[n++].end = left.v[k].end;
		}
		free(one.v);
		free(left.v);
	}
	free(others.v);
	free(im->mmio);
	im->mmio = v;
	im->nmmio = n;
	im->mmio_cap = cap;
}

/* Which cell maps which board device, and MMIO that is no device. */
static void find_devices(struct imp *im)
{
	const struct m_board *b = im->b;
	const struct b_device *con = hyp_console(im);
	size_t i, d, k;

	im->owns = xcalloc(im->ncells, sizeof(*im->owns));
	im->maps_console = xcalloc(im->ncells, sizeof(bool));
	for (i = 0; i < im->ncells; i++) {
		const struct jcell *c = &im->cells[i];
		struct ranges io = { 0 }, devs = { 0 };

		im->owns[i] = xcalloc(b->ndevices + 1, sizeof(bool));
		io_ranges(c, &io);
		for (d = 0; d < b->ndevices; d++) {
			const struct b_device *dev = &b->devices[d];
			bool all = dev->nregs > 0, any = false;

			for (k = 0; k < dev->nregs; k++) {
				uint64_t s = dev->regs[k].base,
					 e = s + dev->regs[k].size;

				all &= ranges_cover(&io, s, e);
				any |= ranges_touch(&io, s, e);
				ranges_add(&devs, s, e);
			}
			if (all && dev == con && con->shareable) {
				/*
				 * The board lets cells share the console:
				 * each cell that maps it lists it, and its
				 * interrupt goes to no cell.
				 */
				im->owns[i][d] = true;
			} else if (all && dev == con && i != 0) {
				/*
				 * Jailhouse lets cells map the debug console
				 * the hypervisor writes to; sphc keeps the
				 * hypervisor's console, and its interrupt,
				 * for the hypervisor.
				 */
				im->maps_console[i] = true;
				diag_report(
					im->dl, RULE_TARGET_UNSUPPORTED,
					file_loc(c),
					"cell '%s' maps '%s', the hypervisor's debug console, as Jailhouse allows; sphc keeps a hypervisor console for the hypervisor, so the cell is not given it (nor its interrupts)",
					c->name, dev->name);
			} else if (all && dev != con)
				im->owns[i][d] = true;
			else if (any && i != 0 && !all)
				diag_report(
					im->dl, RULE_TARGET_UNSUPPORTED,
					file_loc(c),
					"cell '%s' maps only part of device '%s'; the device is not given to it",
					c->name, dev->name);
		}
		ranges_merge(&devs);
		raw_mmio(im, i, &devs);
		free(io.v);
		free(devs.v);
	}
	root_mmio(im);
	/*
	 * A cell's console: a rebuild writes the cell's first UART, or the
	 * hypervisor's virtual console; one that is no device of the cell's
	 * is not kept.
	 */
	for (i = 1; i < im->ncells; i++) {
		const struct jcell *c = &im->cells[i];
		bool own = false;

		if (c->con_type == JH_CON_TYPE_NONE || !c->con_addr)
			continue;
		for (d = 0; d < b->ndevices; d++)
			for (k = 0; k < b->devices[d].nregs; k++)
				own |= im->owns[i][d] &&
				       c->con_addr >=
					       b->devices[d].regs[k].base &&
				       c->con_addr - b->devices[d]
							       .regs[k]
							       .base <
					       b->devices[d].regs[k].size;
		if (!own)
			diag_report(
				im->dl, RULE_TARGET_UNSUPPORTED, file_loc(c),
				"cell '%s' has its console at 0x%" PRIx64
				", which is no device the cell is given; not imported (a rebuild gives it its first UART, or the hypervisor's virtual console)",
				c->name, c->con_addr);
	}
	/* The root keeps only what no other cell maps (a shared console too).
	 */
	for (d = 0; d < b->ndevices; d++)
		for (i = 1; i < im->ncells; i++)
			if (im->owns[i][d] &&
			    !(&b->devices[d] == con && con->shareable))
				im->owns[0][d] = false;
}

/* --- a board derived from the configs ---------------------------------------
 */

static char *sphc_name(const char *raw, const char *fallback);

/* OUTPUT's directory and stem + ".board.yaml": beside the description. */
static char *derived_board_path(const char *output)
{
	const char *slash = strrchr(output, '/');
	char *stem = path_stem(output), *path;

	path = slash ? xasprintf("%.*s/%s.board.yaml", (int)(slash - output),
				 output, stem)
		     : xasprintf("%s.board.yaml", stem);
	free(stem);
	return path;
}

/*
 * No built-in board fits: write one derived from the configs beside
 * @output (derive.h) and load it into @lb. Memory that is not MMIO, of
 * every cell, and the hypervisor's, is the board's RAM.
 */
static int derive_board(const struct imp *im, const char *output,
			struct loaded_board *lb, struct diag_list *dl)
{
	const struct jsys *s = &im->sys;
	struct jh_board_facts f = { 0 };
	struct jh_range *ram = NULL;
	size_t i, j, n = 0, cap = 0;
	char *path = derived_board_path(output), *name;
	int rc;

	VEC_RESERVE(ram, n, cap);
	ram[n++] = (struct jh_range){ s->hyp_pa, s->hyp_size };
	for (i = 0; i < im->ncells; i++) {
		const struct jcell *c = &im->cells[i];

		f.cpus |= c->cpus;
		for (j = 0; j < c->nmem; j++)
			if (c->mem[j].size &&
			    !(c->mem[j].flags & JH_MEM_COMM_REGION) &&
			    !is_mmio(&c->mem[j])) {
				VEC_RESERVE(ram, n, cap);
				ram[n++] = (struct jh_range){ c->mem[j].phys,
							      c->mem[j].size };
			}
	}
	name = sphc_name(im->cells[0].name, "derived");
	f.name = name;
	f.origin = im->cells[0].path;
	f.root = im->cells[0].name;
	f.arm32 = s->arch == JH_ARCH_ARM;
	f.gic_version = s->gic_version;
	f.gicd = s->gicd;
	f.gicc = s->gicc;
	f.gich = s->gich;
	f.gicv = s->gicv;
	f.gicr = s->gicr;
	f.maintenance_irq = s->maintenance_irq;
	f.ram = ram;
	f.nram = n;
	f.con_addr = s->con_addr;
	f.con_type = s->con_type;
	for (i = 0; i < JH_MAX_IOMMU_UNITS && f.niommu < ARRAY_SIZE(f.iommu);
	     i++)
		if (s->iommu[i].size)
			f.iommu[f.niommu++] =
				(struct jh_range){ s->iommu[i].base,
						   s->iommu[i].size };
	rc = jh_board_write(&f, path, file_loc(&im->cells[0]), dl);
	free(ram);
	free(name);
	if (!rc) {
		diag_report(
			dl, RULE_TARGET_INEXACT, file_loc(&im->cells[0]),
			"no built-in board fits: the board is derived from the configurations into '%s' (its CPUs' MPIDRs and timer interrupts are guesses: check them)",
			path);
		rc = board_load(lb, path, dl);
	}
	free(path);
	return rc;
}

/* IOMMU units the board does not describe: nothing keeps regions off them. */
static void unkept_iommus(const struct imp *im, struct diag_list *dl)
{
	size_t i, units = 0;
	uint64_t first = 0;

	if (im->b->niommus)
		return;
	for (i = JH_MAX_IOMMU_UNITS; i-- > 0;)
		if (im->sys.iommu[i].size) {
			units++;
			first = im->sys.iommu[i].base;
		}
	if (units)
		diag_report(
			dl, RULE_TARGET_UNSUPPORTED, file_loc(&im->cells[0]),
			"%zu IOMMU unit%s (the first at 0x%" PRIx64
			") %s not imported: board '%s' describes no IOMMUs (iommus:), so no region is checked against %s",
			units, units == 1 ? "" : "s", first,
			units == 1 ? "is" : "are", im->b->name,
			units == 1 ? "it" : "them");
}

/* --- writing YAML --------------------------------------------------------- */

/*
 * The board file @board as the description will name it: relative to the
 * directory of @output (a description's board path is relative to the
 * description), or as given when writing to stdout or when a path cannot
 * be resolved.
 */
static char *board_ref(const char *board, const char *output)
{
	char *dir, *slash, *to = realpath(board, NULL), *from, *out;
	const char *t, *f;
	size_t common = 0, i;

	if (!output || !to)
		goto as_given;
	dir = xstrdup(output);
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	from = realpath(slash ? dir : ".", NULL);
	free(dir);
	if (!from)
		goto as_given;
	if (!strcmp(from, "/"))
		from[0] = '\0';
	/* The longest common prefix of whole components. */
	for (i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i;
	if (!from[i] && to[i] == '/')
		common = i;
	out = xstrdup("");
	for (f = from + common; *f; f++)
		if (*f == '/') {
			char *next = xasprintf("%s../", out);

			free(out);
			out = next;
		}
	/* "./" keeps a bare file name from reading as a built-in board. */
	t = to + common + 1;
	{
		char *next = xasprintf(
			"%s%s%s", *out || strchr(t, '/') ? "" : "./", out, t);

		free(out);
		out = next;
	}
	free(from);
	free(to);
	return out;
as_given:
	free(to);
	return xstrdup(board);
}

/* @s as a YAML double-quoted scalar. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void put_addr(FILE *f, uint64_t v)
{
	char digits[24];
	int n, i;

	/* At least 8 digits, '_' every 4 from the right: 0x4000_0000. */
	n = snprintf(digits, sizeof(digits), "%08" PRIX64, v);
	fputs("0x", f);
	for (i = 0; i < n; i++) {
		fputc(digits[i], f);
		if ((n - i - 1) % 4 == 0 && i != n - 1)
			fputc('_', f);
	}
}

static void put_size(FILE *f, uint64_t v)
{
	char buf[32];

	num_format_size(v, buf, sizeof(buf));
	if (buf[0] == '0' && buf[1] == 'x')
		put_addr(f, v);
	else
		fputs(buf, f);
}

/* "[0-3, 5]" for a bitmap of ids; "[0, 1, 2, 3, 5]" without @ranges. */
static void put_idlist(FILE *f, const uint32_t *words, uint32_t limit,
		       bool ranges)
{
	uint32_t i, start;
	bool first = true;

	fputc('[', f);
	for (i = 0; i < limit; i++) {
		if (!(words[i / 32] >> (i % 32) & 1))
			continue;
		start = i;
		while (ranges && i + 1 < limit &&
		       words[(i + 1) / 32] >> ((i + 1) % 32) & 1)
			i++;
		fprintf(f, "%s%u", first ? "" : ", ", start);
		if (i > start)
			fprintf(f, "-%u", i);
		first = false;
	}
	fputc(']', f);
}

static void put_cpus(FILE *f, uint64_t cpus)
{
	uint32_t w[2] = { (uint32_t)cpus, (uint32_t)(cpus >> 32) };

	put_idlist(f, w, 64, true);
}

static void write_cell(struct imp *im, FILE *f, size_t i, uint64_t cpus)
{
	const struct jcell *c = &im->cells[i];
	const struct m_board *b = im->b;
	uint32_t extra[32] = { 0 }, j;
	size_t d, k, nmem = 0;
	uint64_t first_ipa = 0;
	bool any, has_first = false;
	char *text;

	fprintf(f, "  - name: %s\n", c->yname);
	text = xasprintf("Jailhouse %scell '%s' (%s)", i == 0 ? "root " : "",
			 c->name, c->path);
	fputs("    description: ", f);
	fput_yaml_string(f, text);
	fputc('\n', f);
	free(text);
	fputs("    cpus: ", f);
	put_cpus(f, cpus);
	fputs("\n    memory:\n", f);
	if (i == 0) {
		for (k = 0; k < im->nroot_ram; k++, nmem++) {
			const struct root_piece *p = &im->root_ram[k];

			fputs("      - { base: ", f);
			put_addr(f, p->start);
			fputs(", size: ", f);
			put_size(f, p->end - p->start);
			fprintf(f, " } # memory region #%" PRIu32 "\n",
				p->region);
		}
	} else {
		for (j = 0; j < c->nmem; j++) {
			const struct jh_mem *m = &c->mem[j];

			if (!is_ram(m))
				continue;
			if (!has_first) {
				first_ipa = m->virt;
				has_first = true;
			}
			fputs("      - { base: ", f);
			put_addr(f, m->phys);
			fputs(", size: ", f);
			put_size(f, m->size);
			if (m->virt != m->phys) {
				fputs(", ipa: ", f);
				put_addr(f, m->virt);
			}
			fprintf(f, " } # memory region #%" PRIu32 "\n", j);
			nmem++;
		}
	}
	if (!nmem) {
		diag_report(
			im->dl, RULE_MISSING_KEY, file_loc(c),
			"cell '%s' has no RAM region (one with EXECUTE); an sphc cell needs at least one",
			c->name);
		fputs("      []\n", f);
	}

	any = false;
	for (d = 0; d < b->ndevices; d++) {
		if (!im->owns[i][d])
			continue;
		fprintf(f, "%s%s", any ? ", " : "    devices: [",
			b->devices[d].name);
		any = true;
	}
	if (any)
		fputs("]\n", f);
	for (k = 0, any = false; k < im->nmmio; k++) {
		const struct raw_piece *p = &im->mmio[k];

		if (p->cell != i)
			continue;
		fputs(any ? "" : "    mmio:\n", f);
		fputs("      - { base: ", f);
		put_addr(f, p->start);
		fputs(", size: ", f);
		put_size(f, p->end - p->start);
		fprintf(f, " } # memory region #%" PRIu32 "\n", p->region);
		any = true;
	}

	if (i == 0)
		goto entry; /* the root cell is given every SPI anyway */
	memcpy(extra, c->intids, sizeof(extra));
	for (d = 0; d < b->ndevices; d++) {
		const struct b_device *dev = &b->devices[d];

		if (im->maps_console[i] && dev == hyp_console(im))
			for (k = 0; k < dev->nirqs; k++)
				if (dev->irqs[k].intid < 1024)
					extra[dev->irqs[k].intid / 32] &=
						~(1U
						  << (dev->irqs[k].intid % 32));
		if (!im->owns[i][d])
			continue;
		for (k = 0; k < dev->nirqs; k++) {
			uint32_t id = dev->irqs[k].intid;

			if (id >= 1024)
				continue;
			/* A shared console's interrupt goes to no cell. */
			if (!(c->intids[id / 32] >> (id % 32) & 1) &&
			    id >= 32 &&
			    !(dev == hyp_console(im) && dev->shareable))
				diag_report(
					im->dl, RULE_TARGET_UNSUPPORTED,
					file_loc(c),
					"cell '%s' maps device '%s' but not its interrupt %u; sphc routes a device's interrupts with it",
					c->name, dev->name, id);
			extra[id / 32] &= ~(1U << (id % 32));
		}
	}
	extra[0] = 0; /* SGIs and PPIs: Jailhouse grants them to every cell */
	for (j = 1, any = false; j < 32; j++)
		any |= extra[j] != 0;
	if (any) {
		fputs("    irqs: ", f);
		put_idlist(f, extra, 1024, false);
		fputc('\n', f);
	}
entry:
	if (i != 0 && has_first && c->reset != first_ipa) {
		fputs("    entry: ", f);
		put_addr(f, c->reset);
		fputc('\n', f);
	}
}

/* How each region of @c was read: every region is counted once. */
static void put_region_counts(FILE *f, const struct jcell *c)
{
	uint32_t j, ram = 0, plain = 0, mmio = 0, comm = 0, empty = 0;

	for (j = 0; j < c->nmem; j++) {
		const struct jh_mem *m = &c->mem[j];

		if (!m->size)
			empty++;
		else if (m->flags & JH_MEM_COMM_REGION)
			comm++;
		else if (is_mmio(m))
			mmio++;
		else if (is_ram(m))
			ram++;
		else
			plain++;
	}
	fprintf(f,
		"#     %u memory regions read as: %u RAM, %u memory without EXECUTE, %u MMIO, %u communication, %u empty\n",
		c->nmem, ram, plain, mmio, comm, empty);
}

static void write_yaml(struct imp *im, FILE *f, const char *name)
{
	const struct b_device *con = hyp_console(im);
	uint64_t others = 0, root_cpus, board_cpus = 0;
	size_t i, k;

	fprintf(f,
		"# Imported by sphc %s from Jailhouse configurations (revision %d):\n",
		SPHC_VERSION, im->sys.revision);
	for (i = 0; i < im->ncells; i++) {
		char *path = quote_comment(im->cells[i].path),
		     *cell = quote_comment(im->cells[i].name);

		fprintf(f, "#   %s: %s '%s'\n", path,
			i ? "cell" : "system config, root cell", cell);
		free(path);
		free(cell);
		put_region_counts(f, &im->cells[i]);
	}
	fputs("# The root cell comes first, so it is the root cell again when this is\n"
	      "# built for Jailhouse. targets: says what check and build are for\n"
	      "# without --target (`--target sph` holds it to sph's own runtime).\n",
	      f);
	fprintf(f, "sphc: 1\nname: %s\n", name);
	fputs("description: Imported from Jailhouse configurations\n", f);
	fputs("targets: [jailhouse]\n", f);
	if (im->board_path) {
		fputs("board: ", f);
		put_quoted(f, im->board_path);
		fputs("\n\n", f);
	} else {
		fprintf(f, "board: %s\n\n", im->b->name);
	}

	fputs("hypervisor:\n  memory: { base: ", f);
	put_addr(f, im->sys.hyp_pa);
	fputs(", size: ", f);
	put_size(f, im->sys.hyp_size);
	fputs(" }\n", f);
	if (con)
		fprintf(f, "  console: %s\n", con->name);
	else if (im->sys.con_addr)
		diag_report(
			im->dl, RULE_TARGET_UNSUPPORTED,
			file_loc(&im->cells[0]),
			"the debug console at 0x%" PRIx64
			" is no device of board '%s'; the board's console is used",
			im->sys.con_addr, im->b->name);

	fputs("\ncells:\n", f);
	for (i = 1; i < im->ncells; i++)
		others |= im->cells[i].cpus;
	for (i = 0; i < im->b->ncpus; i++)
		if (im->b->cpus[i].id < 64)
			board_cpus |= 1ULL << im->b->cpus[i].id;
	if (im->cells[0].cpus & ~board_cpus)
		diag_report(
			im->dl, RULE_TARGET_UNSUPPORTED,
			file_loc(&im->cells[0]),
			"the root cell lists CPUs that board '%s' does not have (%zu CPUs); they are left out",
			im->b->name, im->b->ncpus);
	root_cpus = im->cells[0].cpus & board_cpus & ~others;
	if (!root_cpus) {
		diag_report(
			im->dl, RULE_TARGET_UNSUPPORTED,
			file_loc(&im->cells[0]),
			"the root cell keeps no CPU once the other cells run; it is given all of its CPUs");
		root_cpus = im->cells[0].cpus & board_cpus;
	}
	write_cell(im, f, 0, root_cpus);
	for (i = 1; i < im->ncells; i++) {
		fputc('\n', f);
		write_cell(im, f, i, im->cells[i].cpus);
	}

	if (!im->nshm)
		return;
	fputs("\nshared:\n", f);
	for (k = 0; k < im->nshm; k++) {
		const struct shm *sh = &im->shm[k];
		bool first = true;

		fprintf(f, "  - name: %s\n    base: ", sh->name);
		put_addr(f, sh->phys);
		fputs("\n    size: ", f);
		put_size(f, sh->size);
		fputs("\n    access: {", f);
		for (i = 0; i < im->ncells && i < MAX_PEERS; i++) {
			if (!sh->access[i])
				continue;
			fprintf(f, "%s %s: %s", first ? "" : ",",
				im->cells[i].yname,
				sh->access[i] == 2 ? "rw" : "ro");
			first = false;
		}
		fputs(" }\n", f);
	}
}

/* --- names ---------------------------------------------------------------- */

static bool name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.';
}

/* @raw as an sphc name: letters, digits, '_', '-', '.', not starting
 * with a digit, '-' or '.'; "cell" when nothing is left. */
static char *sphc_name(const char *raw, const char *fallback)
{
	size_t n = strlen(raw), i;
	char *out = xmalloc(n + 2), *p = out;

	if (n && !((raw[0] >= 'a' && raw[0] <= 'z') ||
		   (raw[0] >= 'A' && raw[0] <= 'Z') || raw[0] == '_'))
		*p++ = '_';
	for (i = 0; i < n; i++)
		*p++ = name_char(raw[i]) ? raw[i] : '-';
	*p = '\0';
	if (!n) {
		free(out);
		out = xstrdup(fallback);
	}
	return out;
}

static void unique_names(struct imp *im)
{
	size_t i, j;
	unsigned int suffix;

	for (i = 0; i < im->ncells; i++) {
		char *base = sphc_name(im->cells[i].name, "cell");

		im->cells[i].yname = xstrdup(base);
		for (suffix = 2;; suffix++) {
			bool clash = false;

			for (j = 0; j < i; j++)
				clash |= !strcmp(im->cells[j].yname,
						 im->cells[i].yname);
			if (!clash)
				break;
			free(im->cells[i].yname);
			im->cells[i].yname = xasprintf("%s-%u", base, suffix);
		}
		if (strcmp(im->cells[i].yname, im->cells[i].name))
			diag_report(
				im->dl, RULE_TARGET_INEXACT,
				file_loc(&im->cells[i]),
				"cell '%s' is named '%s' in the description (letters, digits, '_', '-' and '.', unique); its description keeps the name",
				im->cells[i].name, im->cells[i].yname);
		free(base);
	}
}

/*
 * Cell flags a description does not hold: a rebuild sets PASSIVE_COMMREG
 * and the console flags itself, and drops these.
 */
static void unkept_flags(struct imp *im)
{
	const uint32_t kept = JH_CELL_PASSIVE_COMMREG |
			      JH_CELL_VIRTUAL_CONSOLE_PERMITTED |
			      JH_CELL_VIRTUAL_CONSOLE_ACTIVE;
	size_t i;

	for (i = 0; i < im->ncells; i++) {
		uint32_t f = im->cells[i].flags & ~kept;

		if (!f)
			continue;
		diag_report(
			im->dl, RULE_TARGET_UNSUPPORTED,
			file_loc(&im->cells[i]),
			"cell '%s' has flags 0x%x%s%s that a description does not hold; they are not imported",
			im->cells[i].name, f,
			f & JH_CELL_AARCH32
				? " (AARCH32: the cell runs in 32-bit mode)"
				: "",
			f & JH_CELL_TEST_DEVICE ? " (TEST_DEVICE)" : "");
	}
}

/* --- the configs as declared ------------------------------------------ */

static const char *iommu_type(uint32_t type)
{
	switch (type) {
	case JH_IOMMU_AMD:
		return "AMD IOMMU";
	case JH_IOMMU_INTEL:
		return "Intel VT-d unit";
	case JH_IOMMU_SMMUV3:
		return "SMMUv3";
	case JH_IOMMU_PVU:
		return "TI PVU";
	case JH_IOMMU_ARM_MMU500:
		return "SMMU (MMU-500)";
	default:
		return "IOMMU";
	}
}

/*
 * What Jailhouse's checker finds in each config (lint.h), before the
 * regions become a description. GICv3 redistributors: one 128K frame per
 * CPU of the root cell, which lists every CPU.
 */
static void lint_configs(struct imp *im)
{
	const struct jsys *s = &im->sys;
	struct jh_lint_cell *cells = xcalloc(im->ncells, sizeof(*cells));
	struct jh_reserved res[8 + JH_MAX_IOMMU_UNITS];
	char *names[JH_MAX_IOMMU_UNITS] = { 0 };
	uint64_t ncpus = (uint64_t)__builtin_popcountll(im->cells[0].cpus);
	size_t i, n = 0;

	res[n++] = (struct jh_reserved){ s->hyp_pa, s->hyp_size,
					 "the hypervisor's memory",
					 RULE_MEMORY_ON_HYPERVISOR };
	if (s->gic_version == 2) {
		res[n++] = (struct jh_reserved){ s->gicd, s->gicd ? 0x1000 : 0,
						 "the GIC distributor",
						 RULE_MEMORY_ON_DEVICE };
		res[n++] = (struct jh_reserved){ s->gicc, s->gicc ? 0x2000 : 0,
						 "the GIC CPU interface",
						 RULE_MEMORY_ON_DEVICE };
		res[n++] = (struct jh_reserved){
			s->gich, s->gich ? 0x2000 : 0,
			"the GIC virtual interface control",
			RULE_MEMORY_ON_DEVICE
		};
		res[n++] =
			(struct jh_reserved){ s->gicv, s->gicv ? 0x2000 : 0,
					      "the GIC virtual CPU interface",
					      RULE_MEMORY_ON_DEVICE };
	} else {
		res[n++] = (struct jh_reserved){ s->gicd, s->gicd ? 0x10000 : 0,
						 "the GIC distributor",
						 RULE_MEMORY_ON_DEVICE };
		res[n++] = (struct jh_reserved){
			s->gicr, s->gicr ? (ncpus ? ncpus : 1) * 0x20000 : 0,
			"the GIC redistributors", RULE_MEMORY_ON_DEVICE
		};
	}
	res[n++] =
		(struct jh_reserved){ s->mmcfg_base, s->mmcfg_size,
				      "the virtual PCI host's MMCONFIG window",
				      RULE_MEMORY_ON_DEVICE };
	for (i = 0; i < JH_MAX_IOMMU_UNITS; i++) {
		if (!s->iommu[i].size)
			continue;
		names[i] = xasprintf("IOMMU unit #%zu (%s)", i,
				     iommu_type(s->iommu[i].type));
		res[n++] = (struct jh_reserved){ s->iommu[i].base,
						 s->iommu[i].size, names[i],
						 RULE_MEMORY_ON_DEVICE };
	}
	for (i = 0; i < im->ncells; i++)
		cells[i] = (struct jh_lint_cell){ im->cells[i].name,
						  file_loc(&im->cells[i]),
						  im->cells[i].mem,
						  im->cells[i].nmem };
	jailhouse_lint(cells, im->ncells, res, n, file_loc(&im->cells[0]),
		       im->dl);
	for (i = 0; i < JH_MAX_IOMMU_UNITS; i++)
		free(names[i]);
	free(cells);
}

/* --- the reader's entry point ----------------------------------------- */

static void imp_free(struct imp *im)
{
	size_t i;

	for (i = 0; i < im->ncells; i++) {
		free(im->cells[i].mem);
		free(im->cells[i].yname);
		if (im->owns)
			free(im->owns[i]);
	}
	free(im->owns);
	free(im->maps_console);
	free(im->board_path);
	for (i = 0; i < im->nshm; i++)
		free(im->shm[i].name);
	free(im->shm);
	free(im->root_ram);
	free(im->mmio);
	free(im->cells);
}

int jailhouse_import(char *const *paths, size_t n, const char *board,
		     const char *name, const char *output, struct diag_list *dl,
		     struct source **sources)
{
	struct loaded_board lb = { 0 };
	struct imp im = { 0 };
	int st = SPHC_OK;
	char *sysname = NULL;
	size_t i;

	im.dl = dl;
	im.ncells = n;
	im.cells = xcalloc(im.ncells, sizeof(*im.cells));
	for (i = 0; i < im.ncells && st == SPHC_OK; i++) {
		struct jcell *jc = &im.cells[i];
		const char *path = paths[i];
		size_t len = 0, end;
		uint8_t *data = read_file(path, &len);

		jc->path = path;
		jc->src = source_from_memory(path, "", 0);
		jc->src->next = *sources;
		*sources = jc->src;
		if (!data) {
			diag_report(dl, RULE_IO_ERROR, file_loc(jc),
				    "cannot read '%s': %s", path,
				    strerror(errno));
			st = SPHC_FAILED;
			break;
		}
		if (i == 0) {
			if (decode_system(data, len, &im.sys, jc, dl))
				st = SPHC_FINDINGS;
		} else if (len < sizeof(struct jailhouse_cell_desc)) {
			diag_report(
				dl, RULE_BAD_VALUE, file_loc(jc),
				"truncated: %zu bytes, a cell configuration has at least %zu",
				len, sizeof(struct jailhouse_cell_desc));
			st = SPHC_FINDINGS;
		} else {
			unsigned int arch;
			int rev = check_header(data, JH_SIG_CELL_REV13,
					       JH_SIG_CELL, jc, &arch, dl);

			if (rev < 0) {
				st = SPHC_FINDINGS;
			} else if (arch != im.sys.arch) {
				diag_report(
					dl, RULE_BAD_VALUE, file_loc(jc),
					"architecture %u, but the system configuration has architecture %u",
					arch, im.sys.arch);
				st = SPHC_FINDINGS;
			} else if (rev != im.sys.revision) {
				diag_report(
					dl, RULE_BAD_VALUE, file_loc(jc),
					"revision %d, but the system configuration has revision %d",
					rev, im.sys.revision);
				st = SPHC_FINDINGS;
			} else {
				end = decode_cell(data, len, 0, im.sys.gicd, jc,
						  dl);
				if (!end)
					st = SPHC_FINDINGS;
				else
					trailing(jc, end, len, dl);
			}
		}
		free(data);
	}

	if (st == SPHC_OK) {
		lint_configs(&im);
		/* With -o, a board is derived when no built-in one fits. */
		bool derive = output, none = derive;
		int rc;

		if (board) {
			rc = board_load(&lb, board, dl);
		} else {
			rc = guess_board(&lb, &im.sys, &im.cells[0], &none, dl);
			if (rc && derive && none) {
				rc = derive_board(&im, output, &lb, dl);
				lb.derived = !rc;
			}
		}
		if (!rc && !arch_fits(&lb.b, &im.sys)) {
			diag_report(
				dl, RULE_UNKNOWN_BOARD, file_loc(&im.cells[0]),
				"board '%s' is %s, the configurations are for %s",
				lb.b.name, lb.b.arm32 ? "32-bit ARM" : "arm64",
				lb.b.arm32 ? "arm64" : "32-bit ARM");
			rc = -1;
		}
		if (rc) {
			if (board && !lb.path)
				diag_report(
					dl, RULE_UNKNOWN_BOARD,
					file_loc(&im.cells[0]),
					"board '%s' not found (see 'sphc boards')",
					board);
			st = SPHC_FINDINGS;
		}
	}
	if (st == SPHC_OK) {
		char *tmp = NULL;
		FILE *f = output ? atomic_open(output, &tmp) : stdout;

		im.b = &lb.b;
		if (board ? boardpath_is_path(board) : lb.derived)
			im.board_path = board_ref(lb.path, output);
		unkept_iommus(&im, dl);
		if (lb.b.gic.distributor.base != im.sys.gicd)
			diag_report(
				dl, RULE_TARGET_UNSUPPORTED,
				file_loc(&im.cells[0]),
				"board '%s' has its GIC distributor at 0x%" PRIx64
				", the configuration at 0x%" PRIx64,
				lb.b.name, lb.b.gic.distributor.base,
				im.sys.gicd);
		unique_names(&im);
		unkept_flags(&im);
		find_shared(&im);
		find_root_ram(&im);
		find_devices(&im);
		sysname = name	   ? sphc_name(name, "imported")
			  : output ? path_stem(output)
				   : xstrdup("imported");
		if (!name && output) {
			char *clean = sphc_name(sysname, "imported");

			free(sysname);
			sysname = clean;
		}
		if (!f) {
			fprintf(stderr, "sphc: error: cannot write '%s': %s\n",
				output, strerror(errno));
			st = SPHC_FAILED;
		} else {
			write_yaml(&im, f, sysname);
			/* -o FILE appears whole or not at all. */
			if (output ? atomic_commit(f, tmp, output)
				   : fflush(f) != 0) {
				fprintf(stderr,
					"sphc: error: cannot write '%s': %s\n",
					output ? output : "stdout",
					strerror(errno));
				st = SPHC_FAILED;
			}
		}
		if (st == SPHC_OK && dl->nerrors)
			st = SPHC_FINDINGS;
	}
	free(sysname);
	imp_free(&im);
	board_free(&lb, sources);
	return st;
}
