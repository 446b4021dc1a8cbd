// SPDX-License-Identifier: MIT
/*
 * mmio: reads the PrimeCell identification registers at IDS (the last 32
 * bytes of a PrimeCell block: four peripheral ID bytes, four cell ID
 * bytes) of a device it was given, raw MMIO or a board device, and prints
 * them. With -DSPI=intid -DGICD=base it then tries to enable that
 * interrupt in its distributor and says whether it reads back enabled;
 * with -DCONSOLE=base it writes a line to the data register there (its
 * console page); with -DOUTSIDE=address it reads there last, past what it
 * was given: the runtime must stop it (else it says so and exits 3).
 */
#include "lib/sph.h"

#define PL011_DR 0x000

static uint32_t read32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}

/* Four registers holding one byte each, low byte first. */
static uint32_t id_word(uint64_t addr)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < 4; i++)
		v |= (read32(addr + 4 * i) & 0xff) << (8 * i);
	return v;
}

int main(uint64_t dtb, unsigned int vcpu);

int main(uint64_t dtb, unsigned int vcpu)
{
	(void)dtb, (void)vcpu;
	printf("ids at 0x%lx: peripheral 0x%x, primecell 0x%x\n",
	       (uint64_t)(IDS), id_word(IDS), id_word((IDS) + 0x10));
#ifdef SPI
	{
		uint64_t isenabler = GICD + 0x100 + 4 * (SPI / 32);
		uint32_t bit = 1u << (SPI % 32);

		*(volatile uint32_t *)isenabler = bit;
		printf("interrupt %u enabled: %s\n", SPI,
		       read32(isenabler) & bit ? "yes" : "no");
	}
#endif
#ifdef CONSOLE
	{
		const char *s = "through the console page\n";

		while (*s)
			*(volatile uint32_t *)(CONSOLE + PL011_DR) =
				(uint8_t)*s++;
	}
#endif
#ifdef OUTSIDE
	printf("about to read 0x%lx\n", (uint64_t)(OUTSIDE));
	printf("read 0x%x: still running\n", read32(OUTSIDE));
	return 3;
#endif
	return 0;
}
