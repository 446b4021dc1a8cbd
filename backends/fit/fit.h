/* SPDX-License-Identifier: MIT */
/*
 * Boot images for U-Boot boards: a FIT image (boot.itb) and the U-Boot
 * script that starts it (boot.cmd), next to the sph outputs of `sphc build`.
 *
 * The FIT is a flattened device tree built with libfdt:
 *   /images/hypervisor    type kernel, os linux: the sph runtime, a flat
 *                         binary linked with hypervisor.ld (--hypervisor
 *                         FILE) that starts with the arm64 Image header;
 *                         loaded and entered at the start of the
 *                         hypervisor's memory. Without a file it is an
 *                         empty placeholder and boot.cmd says so.
 *   /images/fdt           type flat_dt, no load address: the device tree
 *                         U-Boot hands over in x0 (the Linux protocol
 *                         needs one): the board's compatible and RAM. The
 *                         compatible makes U-Boot (FIT_BEST_MATCH) choose
 *                         this configuration for a plain `bootm ADDR`.
 *   /images/system        type firmware: system.bin, loaded at the start of
 *                         the boot area (the last 1 MiB or more of
 *                         hypervisor memory, check/layout.h).
 *   /images/payload-CELL  type firmware: the cell's image:, read from the
 *                         system file's directory, loaded where system.bin
 *                         says the runtime expects it (image_pa).
 *   /images/initrd-CELL   type firmware: the cell's initrd:, loaded at its
 *                         initrd_pa (where it runs, or staged after the
 *                         image for a colored cell).
 *   /images/dtb-CELL      type flat_dt: cells/CELL.dtb, loaded where the
 *                         runtime places it in the cell (the physical page
 *                         of its dtb_ipa); the runtime also carries it in
 *                         system.bin, so loading it is optional.
 * each with data, arch "arm64", compression "none", load (and entry for the
 * hypervisor) and hash-1 { algo = "crc32"; value = <CRC-32 of data> }, and
 * /configurations/conf (the default) with kernel = "hypervisor", fdt =
 * "fdt" and every other image as loadables. Addresses come from
 * system.bin, so the FIT always agrees with what the runtime enforces.
 *
 * boot.cmd (compile it with mkimage -A arm64 -T script -C none -d boot.cmd
 * boot.scr) takes the boot medium from U-Boot's distro boot variables
 * (devtype, devnum, distro_bootpart, prefix; defaults: mmc 0:1, virtio on
 * QEMU), loads boot.itb at the lowest free 2 MiB-aligned RAM address and
 * runs `bootm ADDR#conf`, which checks every CRC-32, copies every image to
 * its address and enters the runtime with the MMU and caches off. A failed
 * load stops it before bootm. tests/uboot/run.py boots it with Debian's
 * U-Boot on QEMU.
 */
#ifndef SPHC_BACKENDS_FIT_H
#define SPHC_BACKENDS_FIT_H

#include <stdbool.h>

#include "diag/diag.h"
#include "model/model.h"

/*
 * fit_emit - write @outdir/boot.itb and @outdir/boot.cmd for the resolved,
 * checked system @s on board @b. Reads @outdir/system.bin and
 * @outdir/cells/CELL.dtb (`sphc build` writes them first) and the payloads
 * from the system file's directory. The hypervisor image is a placeholder.
 * Returns the number of errors reported to @dl.
 */
int fit_emit(const struct m_system *s, const struct m_board *b,
	     const char *outdir, struct diag_list *dl);

/* fit_emit_hyp - fit_emit() with the runtime binary @hypervisor (or NULL). */
int fit_emit_hyp(const struct m_system *s, const struct m_board *b,
		 const char *outdir, const char *hypervisor,
		 struct diag_list *dl);

/* fit_wanted - whether @b boots with U-Boot (every board but QEMU's). */
bool fit_wanted(const struct m_board *b);

/*
 * fit_check - what fit_emit_hyp() can refuse, before anything is built
 * (sphc check): a @hypervisor that is no AArch64 ELF, and no free RAM for
 * boot.itb, sized from above (the layout's blob and device-tree bounds,
 * the images, the hypervisor) so that build places what check passed.
 * Returns the number of errors reported to @dl.
 */
int fit_check(const struct m_system *s, const struct m_board *b,
	      const char *hypervisor, struct diag_list *dl);

#endif
