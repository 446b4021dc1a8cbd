// SPDX-License-Identifier: MIT
/*
 * make bench-runtime: instructions the runtime executes per trap, counted
 * by the PMU (INST_RETIRED, EL2 only) in a build with -DSPH_BENCH, which
 * the test payloads drive under QEMU's -icount. head.S reads the counter
 * early in a trap and again just before restoring the cell's registers,
 * adds the instructions of that path the reads miss (and takes out the
 * bench's own), and calls bench_account() after the second read, which
 * files the count under the kind of trap the handler named. Without
 * SPH_BENCH these are empty and the counter is never touched.
 */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

#ifdef SPH_BENCH
#define SAMPLES 2048
#define PMEVTYPER_EL2_ONLY (1ul << 31 | 1ul << 30 | 1ul << 27)
#define INST_RETIRED 0x08

static const char *const names[] = {
	[BENCH_IRQ_INJECT] = "irq-inject",   [BENCH_SGI_SEND] = "sgi-send",
	[BENCH_SGI_RECEIVE] = "sgi-receive", [BENCH_DOORBELL] = "doorbell-ring",
	[BENCH_HYPERCALL] = "hypercall",     [BENCH_IRQ_EOI] = "irq-eoi",
};

static uint32_t samples[BENCH_KINDS][SAMPLES];
static unsigned int count[BENCH_KINDS];

void bench_cpu_init(void)
{
	write_sysreg(pmevtyper0_el0, PMEVTYPER_EL2_ONLY | INST_RETIRED);
	write_sysreg(pmcntenset_el0, 1ul);
	write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | 1); /* E */
	isb();
}

void bench_account(struct percpu *cpu, uint64_t n)
{
	unsigned int k = cpu->bench_kind, i;

	cpu->bench_kind = 0;
	if (!k || k >= BENCH_KINDS)
		return;
	i = __atomic_fetch_add(&count[k], 1, __ATOMIC_RELAXED);
	if (i < SAMPLES)
		samples[k][i] = (uint32_t)n;
}

static void sort(uint32_t *v, unsigned int n)
{
	unsigned int i, j;
	uint32_t t;

	for (i = 1; i < n; i++)
		for (j = i; j && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

void arch_report(void)
{
	unsigned int k, n;

	for (k = 1; k < BENCH_KINDS; k++) {
		n = MIN(count[k], SAMPLES);
		if (!n)
			continue;
		sort(samples[k], n);
		printk("sph: bench %s: %u samples, min %u, median %u, max %u "
		       "instructions\n",
		       names[k], n, samples[k][0], samples[k][n / 2],
		       samples[k][n - 1]);
	}
}
#else
void bench_cpu_init(void)
{
}

void bench_account(struct percpu *cpu, uint64_t n)
{
	(void)cpu, (void)n;
}

void arch_report(void)
{
}
#endif
