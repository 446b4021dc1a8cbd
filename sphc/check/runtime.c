// SPDX-License-Identifier: MIT
/*
 * What sphc's own runtime (hypervisor/) can drive on a board, so that a
 * build for it refuses a board it would hang on instead of writing an
 * image: the console must be a UART of drivers/uart.c and the GIC one of
 * arch/aarch64/gicv2.c or gicv3.c (a GICv2 only with its virtualization
 * frames). Only builds that include the runtime (the sph and fit
 * targets, and every build without --target) ask.
 */
#include <string.h>

#include "check/check.h"
#include "diag/diag.h"
#include "sph/abi.h"

uint32_t runtime_console_type(const struct b_device *d)
{
	size_t i;

	for (i = 0; d && i < d->ncompatible; i++) {
		const char *c = d->compatible[i];

		if (!strcmp(c, "arm,pl011"))
			return SPH_CONSOLE_PL011;
		if (!strncmp(c, "cdns,uart", 9) || !strcmp(c, "xlnx,xuartps"))
			return SPH_CONSOLE_XUARTPS;
		if (!strncmp(c, "ns16550", 7) || !strcmp(c, "ns8250") ||
		    !strcmp(c, "snps,dw-apb-uart"))
			return SPH_CONSOLE_8250;
	}
	return SPH_CONSOLE_NONE;
}

static const struct ynode *console_node(const struct m_system *s,
					const struct m_board *b)
{
	if (s->hyp.console_node)
		return s->hyp.console_node;
	return b->console_node ? b->console_node : b->root;
}

static bool runtime_drives(const struct b_device *d)
{
	uint32_t type = runtime_console_type(d);

	return type == SPH_CONSOLE_PL011 || type == SPH_CONSOLE_XUARTPS;
}

/* A device of @b the runtime could use as its console, or NULL. */
static const struct b_device *drivable_uart(const struct m_board *b)
{
	size_t i;

	for (i = 0; i < b->ndevices; i++)
		if (runtime_drives(&b->devices[i]))
			return &b->devices[i];
	return NULL;
}

/*
 * The runtime's address spaces (hypervisor/README.md): a cell's stage 2
 * maps guest-physical addresses below 512 GiB (39 bits, one root table),
 * and the runtime's own map covers physical addresses below 511 GiB: its
 * last GiB is the window the runtime runs in.
 */
#define RUNTIME_IPA_LIMIT (1ULL << 39)
#define RUNTIME_PA_LIMIT (511ULL << 30)

static void check_range(struct diag_list *dl, const struct ynode *node,
			const char *what, const char *name, uint64_t pa,
			uint64_t ipa, uint64_t size)
{
	if (ipa + size > RUNTIME_IPA_LIMIT || ipa + size < ipa)
		diag_report(
			dl, RULE_RUNTIME_UNSUPPORTED, ynode_loc(node),
			"sph's runtime maps guest-physical addresses below 512 GiB: %s '%s' at IPA [0x%llx, 0x%llx) is beyond",
			what, name, (unsigned long long)ipa,
			(unsigned long long)(ipa + size));
	else if (pa + size > RUNTIME_PA_LIMIT || pa + size < pa)
		diag_report(
			dl, RULE_RUNTIME_UNSUPPORTED, ynode_loc(node),
			"sph's runtime reaches physical memory below 511 GiB (its last GiB is its own window): %s '%s' at [0x%llx, 0x%llx) is beyond",
			what, name, (unsigned long long)pa,
			(unsigned long long)(pa + size));
}

static void check_addresses(const struct m_system *s, struct diag_list *dl)
{
	size_t i, j;

	for (i = 0; i < s->ncells; i++) {
		const struct m_cell *c = &s->cells[i];

		for (j = 0; j < c->nregions; j++)
			if (c->regions[j].place.placed)
				check_range(dl, c->regions[j].node,
					    "memory of cell", c->name,
					    c->regions[j].place.pa,
					    c->regions[j].place.ipa,
					    c->regions[j].size);
	}
	for (i = 0; i < s->nshared; i++)
		if (s->shared[i].place.placed)
			check_range(dl, s->shared[i].node, "shared region",
				    s->shared[i].name, s->shared[i].place.pa,
				    s->shared[i].place.ipa, s->shared[i].size);
}

void check_runtime(const struct m_system *s, const struct m_board *b,
		   struct diag_list *dl)
{
	const struct b_device *con = s->hyp.console_dev, *other;
	const struct b_gic *g = &b->gic;

	/* The rest would only repeat it. */
	if (b->arm32) {
		diag_report(
			dl, RULE_RUNTIME_UNSUPPORTED,
			ynode_loc(b->arch_node ? b->arch_node : b->root),
			"sph's runtime is AArch64: board %s is 32-bit ARM (arch: arm); build for Jailhouse only (--target jailhouse, or targets: [jailhouse] in the description)",
			b->name);
		return;
	}
	if (con && !runtime_drives(con)) {
		other = drivable_uart(b);
		diag_report(
			dl, RULE_RUNTIME_UNSUPPORTED,
			ynode_loc(console_node(s, b)),
			"sph's runtime cannot drive the console '%s' of "
			"board %s (%s): it drives a PL011 (arm,pl011) or a "
			"Cadence UART (cdns,uart, xlnx,xuartps); choose "
			"another console%s%s%s, or build for other "
			"hypervisors only (--target jailhouse,bao,xen)",
			con->name, b->name,
			con->ncompatible ? con->compatible[0] : "no compatible",
			other ? " (this board's: hypervisor: { console: " : "",
			other ? other->name : "", other ? " })" : "");
	}
	check_mmio_pages(s, b, "sph's runtime", dl);
	check_addresses(s, dl);
	if (g->version == 2 &&
	    (!g->virtual_control.size || !g->virtual_cpu_interface.size))
		diag_report(
			dl, RULE_RUNTIME_UNSUPPORTED, ynode_loc(g->node),
			"sph's runtime cannot virtualize the GICv2 of board "
			"%s: it needs the virtual interface control (GICH, "
			"virtual-control:) and the virtual CPU interface "
			"(GICV, virtual-cpu-interface:)",
			b->name);
	else if (g->version != 2 && g->version != 3)
		diag_report(dl, RULE_RUNTIME_UNSUPPORTED, ynode_loc(g->node),
			    "sph's runtime drives GICv2 and GICv3, not the "
			    "GICv%u of board %s",
			    g->version, b->name);
}
