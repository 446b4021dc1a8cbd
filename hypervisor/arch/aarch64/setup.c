// SPDX-License-Identifier: MIT
/* EL2 set-up per CPU, the hypervisor's own MMU, entering a vCPU. */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/system.h>
#include <hyp/console.h>
#include <asm/boot.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

#define BLOCK_1G 30
#define PTE_BLOCK 0x1ul
#define PTE_TYPE 0x3ul
#define PTE_TABLE 0x3ul
#define PTE_ATTR_NORMAL (1ul << 2) /* MAIR index 1 */
#define PTE_SH_INNER (3ul << 8)
#define PTE_AF (1ul << 10)
#define PTE_XN (1ul << 54)
#define PTE_OA 0x0000fffffffff000ul
#define WINDOW_VA ((uint64_t)WINDOW_SLOT << BLOCK_1G)

noreturn void enter_guest(uint64_t entry, uint64_t arg, uint64_t stack_top);

/* The EL2 root table relocate.c built: an identity map in 1 GiB blocks
 * (Device) but for the runtime's own GiB and its window. */
static uint64_t *root;

/* A GiB that holds RAM becomes Normal memory: break before make. */
static void mark_ram(uint64_t pa, uint64_t size)
{
	uint64_t i, e;

	for (i = pa >> BLOCK_1G; size && i <= (pa + size - 1) >> BLOCK_1G;
	     i++) {
		if (i == WINDOW_SLOT)
			panic("memory at 0x%lx is in the runtime's window, "
			      "the last GiB of the 512 it maps\n",
			      pa);
		if (i >= 512 || (root[i] & PTE_TYPE) == PTE_TABLE)
			continue;
		e = i << BLOCK_1G | PTE_AF | PTE_SH_INNER | PTE_ATTR_NORMAL |
		    PTE_XN | PTE_BLOCK;
		if (root[i] == e)
			continue;
		root[i] = 0;
		dsb(ishst);
		asm volatile("tlbi vae2, %0" : : "r"(i << (BLOCK_1G - 12)));
		dsb(ish);
		root[i] = e;
		dsb(ishst);
		isb();
	}
}

static void hyp_map_init(void)
{
	const struct sph_hypervisor *h = sph_hypervisor(sys);
	const struct sph_region *r = sph_regions(sys);
	const struct sph_cell *c = sph_cells(sys);
	uint64_t i;

	root = (uint64_t *)boot_info.root;
	mark_ram(h->pa, h->span);
	for (i = 0; i < sys->regions.count; i++)
		if (!(r[i].flags & SPH_REGION_IO))
			mark_ram(r[i].pa, r[i].span);
	for (i = 0; i < sys->cells.count; i++) {
		mark_ram(c[i].image_pa, c[i].image_size);
		mark_ram(c[i].initrd_pa, c[i].initrd_size);
	}
}

uint64_t arch_virt_to_phys(const void *p)
{
	const uint64_t *l3 = (const uint64_t *)boot_info.window_l3;
	uint64_t va = (uint64_t)p;

	return (l3[(va - WINDOW_VA) >> 12] & PTE_OA) | (va & 0xfff);
}

void arch_pool(uint64_t *start, uint64_t *end)
{
	*start = boot_info.pool;
	*end = WINDOW_VA + LINK_VALUE(__sph_hyp_window);
}

/* "0-2,5": the colors in @set, into @buf. */
static void color_list(const uint64_t *set, unsigned int n, char *buf,
		       size_t size)
{
	unsigned int i, j;
	size_t len = 0;

	buf[0] = 0;
	for (i = 0; i < n; i = j) {
		if (!(set[i / 64] >> (i % 64) & 1)) {
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < n && set[j / 64] >> (j % 64) & 1; j++)
			;
		snprintk(buf + len, size - len, j - 1 > i ? "%s%u-%u" : "%s%u",
			 len ? "," : "", i, j - 1);
		len = strlen(buf);
	}
}

/*
 * Every page the runtime maps for itself (its window: code, data, .bss,
 * its page tables, the pool of stacks and stage-2 tables) must be of its
 * colors: read back from the tables the MMU uses, not from what
 * relocate.c meant to write.
 */
static void check_own_colors(void)
{
	const struct sph_hypervisor *h = sph_hypervisor(sys);
	const uint64_t *l3 = (const uint64_t *)boot_info.window_l3;
	uint64_t pages = LINK_VALUE(__sph_hyp_window) / PAGE_SIZE, k, pa;
	unsigned int n = sph_platform(sys)->num_colors, color, i;
	bool colored = false;
	char list[96];

	for (i = 0; i < SPH_COLOR_WORDS; i++)
		colored |= h->colors[i] != 0;
	if (!colored || !n) {
		printk("sph: runtime on %lu pages of its memory (it has no "
		       "colors of its own)\n",
		       pages);
		return;
	}
	for (k = 0; k < pages; k++) {
		pa = l3[k] & PTE_OA;
		color = (unsigned int)((pa / PAGE_SIZE) % n);
		if (!(h->colors[color / 64] >> (color % 64) & 1))
			panic("runtime page at 0x%lx is at 0x%lx, color %u, "
			      "not one of its own\n",
			      WINDOW_VA + k * PAGE_SIZE, pa, color);
	}
	color_list(h->colors, n, list, sizeof(list));
	printk("sph: runtime on %lu pages of its colors %s (code, data, "
	       "stacks, page tables): every page checked\n",
	       pages, list);
}

bool arch_platform_ok(const struct sph_platform *p)
{
	return gic_select(p);
}

void arch_init(void)
{
	hyp_map_init();
	check_own_colors();
	gic_init();
}

void arch_cpu_init(struct percpu *cpu)
{
	write_sysreg(tpidr_el2, cpu);
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
