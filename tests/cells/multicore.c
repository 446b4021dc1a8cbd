// SPDX-License-Identifier: MIT
/*
 * multicore: a cell with two vCPUs. Both enter at _start with the DTB and
 * branch on their MPIDR. vCPU 1 reports and powers itself off (PSCI
 * CPU_OFF). vCPU 0 reports its device tree and PSCI results, waits for
 * vCPU 1 to be off (AFFINITY_INFO), powers it on again (CPU_ON at _start
 * with context 42), waits for its second report, then exits 0.
 */
#include "lib/sph.h"

#define CONTEXT 42

extern char _start[];
static volatile int restarted;

int main(uint64_t arg, unsigned int vcpu);

static long affinity(uint64_t mpidr)
{
	return sph_smc(PSCI_AFFINITY_INFO, mpidr, 0, 0);
}

int main(uint64_t arg, unsigned int vcpu)
{
	unsigned int cpus;
	uint64_t ram;
	long ret;

	if (vcpu == 1 && arg == CONTEXT) {
		printf("vCPU 1 back on with context %lu\n", arg);
		restarted = 1;
		sph_smc(PSCI_CPU_OFF, 0, 0, 0);
	}
	if (vcpu == 1) {
		printf("vCPU 1 up, powering off\n");
		sph_smc(PSCI_CPU_OFF, 0, 0, 0);
	}
	if (!fdt_summary((const void *)arg, &ram, &cpus))
		printf("device tree: %lu KiB of RAM, %u CPU(s)\n", ram >> 10,
		       cpus);
	printf("vCPU 0 up, PSCI version 0x%lx\n",
	       sph_smc(PSCI_VERSION, 0, 0, 0));
	printf("CPU_ON of running vCPU 0: %ld\n",
	       sph_smc(PSCI_CPU_ON, 0, (uint64_t)_start, 0));
	while (affinity(1) != 1)
		;
	ret = sph_smc(PSCI_CPU_ON, 1, (uint64_t)_start, CONTEXT);
	printf("vCPU 1 is off; CPU_ON: %ld\n", ret);
	while (!restarted)
		;
	printf("CPU_ON of missing vCPU 2: %ld\n",
	       sph_smc(PSCI_CPU_ON, 2, (uint64_t)_start, 0));
	return 0;
}
