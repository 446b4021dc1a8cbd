// SPDX-License-Identifier: MIT
/*
 * hello: says hello, reads its device tree (RAM size, CPU count), says
 * goodbye a character at a time and exits with EXIT_STATUS (0 unless the
 * build sets it). Built with -DSHM=address, it also stores SHM_MAGIC there
 * (a shared region). Built with -DENTRY_PROBE (a one-vCPU cell), it first
 * checks the state it was entered with (lib/start.S) and exits 4 if any
 * register was not in its reset state. Built with -DSTART_COUNTER, its
 * first line is the virtual counter at its entry (make bench-runtime's
 * critical-start); with -DPAD_MIB=N its image carries N MiB of data (a
 * stand-in for a large kernel image). Built with -DBIG_PAGES=n, its image
 * carries n more pages, page i starting with the number i, and it checks
 * every one (a large image staged and copied by the runtime: exit 5 if a
 * page is not what was linked).
 */
#include "lib/sph.h"

#ifdef PAD_MIB
/* Data, so that it is in the flat image: the first byte is not zero. */
static volatile char pad[PAD_MIB << 20] = { 1 };
#endif

#ifdef BIG_PAGES
#define STR_(x) #x
#define STR(x) STR_(x)
extern const uint64_t big[];
asm(".section .rodata.big, \"a\"\n"
    ".balign 4096\n"
    "big:\n"
    ".set page, 0\n"
    ".rept " STR(BIG_PAGES) "\n"
			    ".quad page, ~page\n"
			    ".fill 4080, 1, 0x5a\n"
			    ".set page, page + 1\n"
			    ".endr\n"
			    ".previous\n");

static int big_check(void)
{
	const volatile uint64_t *p = big;
	unsigned long i;

	for (i = 0; i < BIG_PAGES; i++, p += 512)
		if (p[0] != i || p[1] != ~i || p[511] != 0x5a5a5a5a5a5a5a5aul) {
			printf("page %lu of the image is not as linked\n", i);
			return 5;
		}
	printf("all %lu extra pages of the image are as linked\n", i);
	return 0;
}
#endif

#ifndef EXIT_STATUS
#define EXIT_STATUS 0
#endif

int main(uint64_t dtb, unsigned int vcpu);

int main(uint64_t dtb, unsigned int vcpu)
{
	const char *bye = "goodbye\n";
	unsigned int cpus;
	uint64_t ram;

#ifdef START_COUNTER
	uint64_t now;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(now));
	printf("first line at counter %lu\n", now);
#endif
#ifdef PAD_MIB
	if (pad[0] != 1)
		return 5;
#endif
	printf("hello from cell %s (id %ld), vCPU %u\n", cell_name(),
	       sph_hvc(SPH_HC_CELL_ID, 0, 0, 0), vcpu);
#ifdef ENTRY_PROBE
	if (entry_state_check(&boot_entry_state, dtb, "boot"))
		return 4;
#endif
	if (fdt_summary((const void *)dtb, &ram, &cpus)) {
		printf("no device tree at 0x%lx\n", dtb);
		return 1;
	}
	printf("device tree: %lu KiB of RAM, %u CPU(s)\n", ram >> 10, cpus);
#ifdef BIG_PAGES
	if (big_check())
		return 5;
#endif
#ifdef SHM
	*(volatile uint64_t *)SHM = SHM_MAGIC;
	printf("wrote 0x%lx to shared memory at 0x%lx\n", SHM_MAGIC,
	       (uint64_t)SHM);
#endif
	while (*bye)
		sph_hvc(SPH_HC_CONSOLE_PUTC, (uint64_t)*bye++, 0, 0);
	return EXIT_STATUS;
}
