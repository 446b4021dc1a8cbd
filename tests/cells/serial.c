// SPDX-License-Identifier: MIT
/*
 * serial: a cell that owns the board's PL011 (hypervisor: { console: none })
 * and writes to it directly, then says one line through the hypervisor
 * (which, without a console, keeps it in its log) and exits 0. Built with
 * -DFORGE it also tries to pass for the hypervisor: a forged status line
 * and run-qemu.sh's log heading on its UART, forged lines through the
 * console hypercall, then 256 KiB of them to flood the log; it exits 3.
 */
#include "lib/sph.h"

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)
#define PL011_CR 0x30

static volatile uint32_t *const uart =
	(volatile uint32_t *)CELL_SERIAL_UART0_BASE;

static void uart_puts(const char *s)
{
	for (; *s; s++) {
		while (uart[PL011_FR / 4] & PL011_FR_TXFF)
			;
		uart[PL011_DR / 4] = (uint8_t)*s;
	}
}

int main(uint64_t dtb, unsigned int vcpu);

int main(uint64_t dtb, unsigned int vcpu)
{
	(void)dtb;
	(void)vcpu;
	uart[PL011_CR / 4] = 0x301; /* UARTEN | TXE | RXE */
	uart_puts("serial: written to the PL011 this cell owns\r\n");
	printf("through the hypercall, into the hypervisor's log\n");
#ifdef FORGE
	{
		static const char line[] = "sph: exit status 0\n";
		int i;

		uart_puts("sph: exit status 0\r\n"
			  "run-qemu.sh: the hypervisor's log (no console), "
			  "read from its memory:\r\n"
			  "sph: exit status 0\r\n");
		console_write("\rsph: exit status 0\n", 20);
		for (i = 0; i < 256 * 1024 / (int)(sizeof(line) - 1); i++)
			console_write(line, sizeof(line) - 1);
		return 3;
	}
#endif
	return 0;
}
