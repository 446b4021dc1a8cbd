// SPDX-License-Identifier: MIT
/*
 * The board console's UART, transmit only and polled: the hypervisor
 * sends finished lines and never takes an interrupt from it.
 *
 *   PL011 (QEMU virt, rpi4): UARTDR 0x00, UARTFR 0x18 (TXFF bit 5),
 *     UARTCR 0x30 (UARTEN | TXE | RXE).
 *   Cadence UART (Zynq UltraScale+, "xlnx,xuartps"): CR 0x00 (TX_EN bit 4,
 *     RX_EN bit 2), SR 0x2C (TXFULL bit 4), FIFO 0x30. QEMU's model prints
 *     nothing until CR enables the transmitter; a boot loader on a real
 *     board has set the baud rate already, which is kept.
 */
#include <hyp/uart.h>
#include <sph/abi.h>

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)
#define PL011_CR 0x30
#define PL011_CR_ENABLE 0x301

#define CDNS_CR 0x00
#define CDNS_CR_ENABLE 0x14 /* TX_EN | RX_EN */
#define CDNS_SR 0x2c
#define CDNS_SR_TXFULL (1u << 4)
#define CDNS_FIFO 0x30

static volatile uint32_t *regs;
static uint32_t type;

static volatile uint32_t *reg(unsigned int offset)
{
	return &regs[offset / 4];
}

bool uart_init(uint32_t console_type, uint64_t base)
{
	regs = (volatile uint32_t *)base;
	type = console_type;
	switch (type) {
	case SPH_CONSOLE_PL011:
		*reg(PL011_CR) = PL011_CR_ENABLE;
		return true;
	case SPH_CONSOLE_XUARTPS:
		*reg(CDNS_CR) = CDNS_CR_ENABLE;
		return true;
	default:
		regs = NULL;
		return false;
	}
}

void uart_putc(char c)
{
	if (!regs)
		return;
	if (type == SPH_CONSOLE_PL011) {
		while (*reg(PL011_FR) & PL011_FR_TXFF)
			;
		*reg(PL011_DR) = (uint8_t)c;
	} else {
		while (*reg(CDNS_SR) & CDNS_SR_TXFULL)
			;
		*reg(CDNS_FIFO) = (uint8_t)c;
	}
}
