// SPDX-License-Identifier: MIT
/*
 * violator: does what a cell must not. Built with -DVICTIM=address it
 * writes there (another cell's memory, or a region it may only read);
 * with -DBAD_SMC it issues an SMC that is not PSCI. Either way the runtime
 * must stop the cell; if it does not, the payload says so and exits 3.
 * With -DSHM=address it first waits for SHM_MAGIC there and reports it.
 * A second vCPU, if any, spins at EL1 without ever trapping: only the
 * runtime's SGI can park it.
 */
#include "lib/sph.h"

static volatile int spinning;

int main(uint64_t dtb, unsigned int vcpu);

int main(uint64_t dtb, unsigned int vcpu)
{
	(void)dtb;
	if (vcpu) {
		printf("vCPU %u spinning\n", vcpu);
		spinning = 1;
		for (;;)
			;
	}
	/* Wait for vCPU 1 to spin, if there is one. */
	while (!spinning &&
	       sph_smc(PSCI_AFFINITY_INFO, 1, 0, 0) != PSCI_INVALID_PARAMETERS)
		;
#ifdef SHM
	while (*(volatile uint64_t *)SHM != SHM_MAGIC)
		;
	printf("read 0x%lx from shared memory at 0x%lx\n", SHM_MAGIC,
	       (uint64_t)SHM);
#endif
#ifdef BAD_SMC
	printf("about to call SMC 0x82000000 (SiP service)\n");
	sph_smc(0x82000000, 0, 0, 0);
#else
	printf("about to write to 0x%lx\n", (uint64_t)VICTIM);
	*(volatile uint64_t *)VICTIM = 0xbad;
#endif
	printf("still running: the runtime did not stop me\n");
	return 3;
}
