// SPDX-License-Identifier: MIT
/* EL2 set-up per CPU, the hypervisor's own MMU, entering a vCPU. */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/system.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

#define BLOCK_1G 30
#define PTE_BLOCK 0x1ul
#define PTE_ATTR_NORMAL (1ul << 2) /* MAIR index 1 */
#define PTE_SH_INNER (3ul << 8)
#define PTE_AF (1ul << 10)
#define PTE_XN (1ul << 54)

noreturn void enter_guest(uint64_t entry, uint64_t arg, uint64_t stack_top);

/* Identity map of the first 512 GiB in 1 GiB blocks: Normal memory where
 * the system has RAM (the hypervisor's and the cells'), Device elsewhere. */
static uint64_t hyp_table[512] __attribute__((aligned(4096)));

static void mark_ram(uint64_t pa, uint64_t size)
{
	uint64_t i;

	for (i = pa >> BLOCK_1G; size && i <= (pa + size - 1) >> BLOCK_1G; i++)
		if (i < 512)
			hyp_table[i] = i << BLOCK_1G | PTE_AF | PTE_SH_INNER |
				       PTE_ATTR_NORMAL | PTE_BLOCK;
}

static void hyp_map_init(void)
{
	const struct sph_hypervisor *h = sph_hypervisor(sys);
	const struct sph_region *r = sph_regions(sys);
	const struct sph_cell *c = sph_cells(sys);
	uint64_t i;

	for (i = 0; i < 512; i++)
		hyp_table[i] = i << BLOCK_1G | PTE_AF | PTE_XN | PTE_BLOCK;
	mark_ram(h->pa, h->span);
	for (i = 0; i < sys->regions.count; i++)
		if (!(r[i].flags & SPH_REGION_IO))
			mark_ram(r[i].pa, r[i].span);
	for (i = 0; i < sys->cells.count; i++) {
		mark_ram(c[i].image_pa, c[i].image_size);
		mark_ram(c[i].initrd_pa, c[i].initrd_size);
	}
}

static void hyp_mmu_enable(void)
{
	write_sysreg(mair_el2, MAIR_EL2_HYP);
	write_sysreg(tcr_el2, TCR_EL2_HYP);
	write_sysreg(ttbr0_el2, hyp_table);
	isb();
	asm volatile("tlbi alle2");
	dsb(nsh);
	isb();
	write_sysreg(sctlr_el2, SCTLR_EL2_HYP);
	isb();
}

bool arch_platform_ok(const struct sph_platform *p)
{
	return gic_select(p);
}

void arch_init(void)
{
	hyp_map_init();
	dsb(sy);
	hyp_mmu_enable();
	gic_init();
}

void arch_cpu_init(struct percpu *cpu)
{
	write_sysreg(tpidr_el2, cpu);
	hyp_mmu_enable();
	cpu->arch.hcr = HCR_CELL;
	write_sysreg(hcr_el2, cpu->arch.hcr);
	write_sysreg(mdcr_el2, MDCR_CELL | PMCR_N(read_sysreg(pmcr_el0)));
	write_sysreg(vtcr_el2, VTCR_CELL);
	write_sysreg(cptr_el2, CPTR_EL2_CELL);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1_TIMER);
	write_sysreg(cntvoff_el2, 0);
	isb();
	gic_cpu_init(cpu);
	bench_cpu_init();
}

uint64_t arch_cpu_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

struct percpu *arch_this_cpu(void)
{
	return (struct percpu *)read_sysreg(tpidr_el2);
}

/*
 * Every EL1 (and EL0) system register a cell can read back gets a defined
 * value before the vCPU enters, whatever ran on this CPU before: a boot
 * loader, or the cell itself before PSCI CPU_OFF. PMU and debug registers
 * need none: the cell cannot reach them (MDCR_CELL).
 */
static void vcpu_reset_el1(void)
{
	write_sysreg(sctlr_el1, SCTLR_EL1_RESET);
	write_sysreg(ttbr0_el1, 0);
	write_sysreg(ttbr1_el1, 0);
	write_sysreg(tcr_el1, 0);
	write_sysreg(mair_el1, 0);
	write_sysreg(amair_el1, 0);
	write_sysreg(vbar_el1, 0);
	write_sysreg(contextidr_el1, 0);
	write_sysreg(tpidr_el0, 0);
	write_sysreg(tpidr_el1, 0);
	write_sysreg(tpidrro_el0, 0);
	write_sysreg(sp_el0, 0);
	write_sysreg(sp_el1, 0);
	write_sysreg(elr_el1, 0);
	write_sysreg(spsr_el1, 0);
	write_sysreg(esr_el1, 0);
	write_sysreg(far_el1, 0);
	write_sysreg(afsr0_el1, 0);
	write_sysreg(afsr1_el1, 0);
	write_sysreg(par_el1, 0);
	write_sysreg(cpacr_el1, 0);
	write_sysreg(cntkctl_el1, 0);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntv_cval_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	write_sysreg(cntp_cval_el0, 0);
	write_sysreg(csselr_el1, 0);
}

noreturn void arch_vcpu_enter(struct percpu *cpu, uint64_t entry, uint64_t arg)
{
	cpu->arch.hcr = HCR_CELL;
	write_sysreg(hcr_el2, cpu->arch.hcr);
	write_sysreg(vttbr_el2, cpu->cell->arch.vttbr);
	write_sysreg(vmpidr_el2, MPIDR_VCPU(cpu->vcpu));
	vcpu_reset_el1();
	gic_vcpu_reset(cpu);
	isb();
	enter_guest(entry, arg, cpu->stack_top);
}

static uint64_t dcache_line(void)
{
	return 4ul << (read_sysreg(ctr_el0) >> 16 & 0xf);
}

void arch_sync_memory(void *p, uint64_t size)
{
	uint64_t line = dcache_line(), a = ALIGN_DOWN((uint64_t)p, line);

	for (; a < (uint64_t)p + size; a += line)
		asm volatile("dc cvac, %0" : : "r"(a) : "memory");
	dsb(sy);
	asm volatile("ic ialluis");
	dsb(sy);
	isb();
}

void arch_flush_memory(uint64_t pa, uint64_t size)
{
	uint64_t line = dcache_line(), a = ALIGN_DOWN(pa, line);

	for (; a < pa + size; a += line)
		asm volatile("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

uint64_t arch_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

void arch_wait(void)
{
	asm volatile("wfe" : : : "memory");
}

void arch_wake(void)
{
	dsb(ish);
	asm volatile("sev");
}
