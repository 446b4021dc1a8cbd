// SPDX-License-Identifier: MIT
/* The cell's console page: a PL011 that only transmits (see vuart.h). */
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/vuart.h>

/* Register offsets and bits of the PL011 (Arm DDI 0183). */
#define UART_DR 0x000
#define UART_FR 0x018
#define UART_IBRD 0x024
#define UART_FBRD 0x028
#define UART_LCR_H 0x02c
#define UART_CR 0x030
#define UART_IFLS 0x034
#define UART_IMSC 0x038
#define UART_DMACR 0x048
#define UART_PERIPH_ID 0xfe0 /* PeriphID0-3 then PCellID0-3, a byte each */

#define FR_RXFE (1u << 4) /* receive FIFO empty: nothing ever arrives */
#define FR_TXFE (1u << 7) /* transmit FIFO empty: every byte leaves at once */

/* A PL011 r1p5 (PeriphID 0x00341011) and the PrimeCell id 0xb105f00d: the
 * values Linux's AMBA bus matches the pl011 driver by. */
static const uint8_t id_bytes[8] = { 0x11, 0x10, 0x34, 0x00,
				     0x0d, 0xf0, 0x05, 0xb1 };

bool vuart_at(const struct percpu *cpu, uint64_t ipa)
{
	uint64_t base = cpu->cell->cfg->vuart_ipa;

	return base && ipa - base < PAGE_SIZE;
}

/* The register a read or write of @offset names, or NULL (RAZ/WI). */
static uint32_t *reg(struct vuart *u, uint64_t offset)
{
	switch (offset) {
	case UART_IBRD:
		return &u->ibrd;
	case UART_FBRD:
		return &u->fbrd;
	case UART_LCR_H:
		return &u->lcr_h;
	case UART_CR:
		return &u->cr;
	case UART_IFLS:
		return &u->ifls;
	case UART_IMSC:
		return &u->imsc;
	case UART_DMACR:
		return &u->dmacr;
	}
	return NULL;
}

uint64_t vuart_access(struct percpu *cpu, uint64_t ipa, unsigned int size,
		      bool write, uint64_t value)
{
	struct vuart *u = &cpu->cell->vuart;
	uint64_t offset = ipa - cpu->cell->cfg->vuart_ipa;
	uint32_t *r, v = 0;
	char c;

	/* Registers are 32 bits wide; wider accesses see nothing. */
	if (size > 4)
		return 0;
	if (offset == UART_DR) {
		if (write) {
			c = (char)value;
			console_cell_write(cpu, &c, 1);
		}
		return 0;
	}
	if (offset == UART_FR)
		return write ? 0 : FR_TXFE | FR_RXFE;
	if (offset >= UART_PERIPH_ID && offset < UART_PERIPH_ID + 32)
		return write || offset & 3
			       ? 0
			       : id_bytes[(offset - UART_PERIPH_ID) / 4];
	r = reg(u, offset & ~3ul);
	if (!r)
		return 0;
	spin_lock(&u->lock);
	if (write && !(offset & 3))
		*r = (uint32_t)value & 0xffff;
	else if (!write)
		v = *r;
	spin_unlock(&u->lock);
	return write ? 0 : v >> (offset & 3) * 8;
}
