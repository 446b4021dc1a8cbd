/* SPDX-License-Identifier: MIT */
/*
 * The Xen dom0less backend: a resolved system as Xen boot-time domains
 * (no dom0), in @outdir/xen/:
 *
 *   dom0less.dtsi    the /chosen nodes, as DTS to include into the host
 *                    device tree source: `/include/ "dom0less.dtsi"`
 *   dom0less.dtbo    the same as a device-tree overlay on /chosen (built
 *                    with libfdt), for `fdtoverlay` or U-Boot's `fdt apply`
 *   <cell>-passthrough.dts, .dtb   the partial device tree of each cell
 *                    that owns devices (loaded as its multiboot,device-tree)
 *   imagebuilder.cfg the same system as an ImageBuilder configuration
 *                    (scripts/uboot-script-gen -c imagebuilder.cfg -d .)
 *   imagebuilder-shm.dtbo  its shared regions (when there are any)
 *
 * Which Xen: XEN_4_22 (`--target xen`, the newest) is Xen 4.22 built with
 * every option the features below need (CONFIG_UNSUPPORTED for static
 * memory, static shared memory and the null scheduler, CONFIG_EXPERT for
 * LLC coloring); XEN_4_17 (`--target xen-4.17`) is Xen 4.17 built with its
 * default options, as Debian 12 ships it: no static memory, no static
 * shared memory, no null scheduler, and 4.17 predates LLC coloring (4.20)
 * and xen,vcpu pinning (4.21). A feature the chosen Xen lacks is left out
 * with one target-unsupported warning naming the Xen version and build
 * options it needs. Debian's 4.17 stops reading /chosen at the first
 * shared-memory node and then looks for a dom0, so leaving it out is what
 * lets the domains boot at all.
 *
 * One `xen,domain` node per cell (named domU-<cell>), in boot order
 * (critical cells first): Xen creates domains in the order of the nodes in
 * the final DTB. fdtoverlay and U-Boot's `fdt apply` insert every new node
 * before its siblings, so dom0less.dtbo lists nodes in reverse order and
 * the applied tree is in boot order, like dom0less.dtsi. Each has:
 *   cpus             the cell's CPU count; one `xen,vcpu` child per vCPU
 *                    pins it (hard-affinity) to the cell's CPU, in id order
 *                    (with sched=null on the Xen command line)
 *   memory           the cell's total memory in KiB, as <0 KiB>
 *   llc-colors       the cell's colors as a range list ("3-7,9"); Xen counts
 *                    colors as sphc does (LLC way size / page size). The
 *                    command line gets llc-coloring=on, the board's LLC
 *                    geometry (llc-size with a K suffix: a bare number is
 *                    KiB to Xen) and xen-llc-colors = the hypervisor's colors.
 *   xen,static-mem   for a cell with a region that has a base ("pinned"):
 *                    every region of the cell at the physical address sphc
 *                    placed it. Xen cannot combine it with LLC coloring;
 *                    with coloring on, pinning is dropped (target-inexact).
 *   direct-map       when static and every region's IPA equals its PA, so
 *                    the guest sees sphc's addresses. Otherwise Xen lays out
 *                    guest memory itself, the regions in order from
 *                    0x4000_0000 (then 0x2_0000_0000 past 3 GiB); an explicit
 *                    ipa: elsewhere is not kept (target-inexact).
 *   vpl011           always: the guest console (Xen's virtual PL011).
 *   module@ADDR      multiboot,kernel: the cell's image: (placeholder
 *                    "<cell>.bin" without one), and multiboot,device-tree:
 *                    its passthrough DTB. Modules are staged, 2 MiB aligned,
 *                    in the lowest RAM sphc left free; a missing image gets
 *                    size 0 (fill it in, or let ImageBuilder load it).
 *   shm-<name>       xen,domain-shared-memory-v1 per shared region the cell
 *                    accesses: xen,shm-id = the region's name (sphc-shm-<i>
 *                    when longer than 15 characters), xen,shared-mem =
 *                    <PA IPA size>, role "owner" for the first writer, else
 *                    "borrower". Xen maps it read-write and has no doorbell
 *                    (both warned as target-inexact).
 * Passthrough nodes carry the device's reg (guest address = host address),
 * interrupts (<0 SPI flags>), interrupt-parent, xen,reg (page-rounded
 * <PA size IPA>), xen,force-assign-without-iommu and xen,path: the board's
 * dt-path of the device (a guess, "/soc/<device>@<address>", warned as
 * target-inexact, when the board does not record it).
 *
 * ImageBuilder's configuration takes one shared region per domain and no
 * role, so the regions go into imagebuilder-shm.dtbo, an overlay on the
 * /chosen/domU<i> nodes ImageBuilder makes, named in its DT_OVERLAY; its
 * domains are listed in reverse boot order for the same reason as above.
 */
#ifndef SPHC_BACKENDS_XEN_H
#define SPHC_BACKENDS_XEN_H

#include "diag/diag.h"
#include "model/model.h"

/* The Xen a tree is written for (see above). */
enum xen_version {
	XEN_4_17 = 417, /* default build options, as in Debian 12 */
	XEN_4_22 = 422, /* built with every option the features need */
};

/*
 * xen_emit - write @outdir/xen/ (@outdir exists) for the resolved, checked
 * system @s on board @b, for Xen @version. Returns the number of errors
 * reported to @dl; what Xen cannot express is reported as target-inexact
 * warnings, what @version lacks as target-unsupported ones. @outdir NULL:
 * report the same findings, write nothing (sphc check).
 */
int xen_emit(const struct m_system *s, const struct m_board *b,
	     const char *outdir, enum xen_version version,
	     struct diag_list *dl);

#endif
