/* SPDX-License-Identifier: MIT */
/*
 * A cell's console page (sph_cell.vuart_ipa): the transmit side of an Arm
 * PL011, enough for Linux's amba-pl011 driver and its earlycon. Nothing
 * behind it is shared: what the cell writes to DR goes through its
 * console budget and out as "[cell-name] line", like SPH_HC_CONSOLE_*.
 * The receive side is empty and no interrupt is ever raised.
 */
#ifndef HYP_VUART_H
#define HYP_VUART_H

#include <hyp/lib.h>

struct percpu;

/* The registers a driver writes and reads back; one set per cell. */
struct vuart {
	spinlock_t lock;
	uint32_t ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr;
};

/* vuart_at - whether @ipa is in @cpu's cell's console page. */
bool vuart_at(const struct percpu *cpu, uint64_t ipa);

/*
 * vuart_access - emulate a @size-byte access at @ipa (in the console
 * page); returns the value a read sees (0 for a write).
 */
uint64_t vuart_access(struct percpu *cpu, uint64_t ipa, unsigned int size,
		      bool write, uint64_t value);

#endif
