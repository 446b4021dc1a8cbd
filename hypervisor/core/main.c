// SPDX-License-Identifier: MIT
/*
 * Boot. CPU0 arrives here from head.S at EL2 with the MMU off: it checks
 * the system blob, sets up the hypervisor, builds every cell and powers
 * on the cells' other CPUs, which arrive in hyp_secondary().
 */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/mem.h>
#include <hyp/system.h>
#include <sph/blob.h>
#include <asm/boot.h>
#include <asm/traps.h>

/*
 * From the hypervisor.ld that sphc generates for the system (LINK_VALUE):
 * __sph_system_blob, and the boot console, the board's, linked in so the
 * runtime can report a bad blob before it trusts anything in it.
 */

const struct sph_header *sys;
struct percpu cpus[SPH_MAX_CPUS];
uint8_t boot_stack[STACK_SIZE] __attribute__((aligned(16)));

static noreturn void refuse(const char *why, const char *detail)
{
	printk("sph: refusing to boot: %s%s\n", why, detail);
	hyp_exit(EXIT_BROKEN);
}

static void validate(void)
{
	struct sph_blob_error e;
	char where[96];

	if (!sph_blob_validate(sys, SZ_1M, &e))
		return;
	snprintk(where, sizeof(where), " (%s %u, field %s, blob offset %u)",
		 e.array, e.index, e.field, e.offset);
	printk("sph: refusing to boot: invalid system blob at %p: %s%s\n", sys,
	       sph_strerror(e.code), where);
	hyp_exit(EXIT_BROKEN);
}

/* What this runtime needs beyond a valid blob. */
static void check_system(void)
{
	const struct sph_platform *p = sph_platform(sys);
	uint64_t board = 0, owned = 0;
	unsigned int i;

	if (sys->kind != SPH_KIND_SYSTEM)
		refuse("not a system blob (a single cell's?)", "");
	if (p->console_type != LINK_VALUE(__sph_boot_console_type) ||
	    p->console_base != LINK_VALUE(__sph_boot_console))
		refuse("the blob's console is not the one the runtime was "
		       "linked for",
		       "");
	if (!arch_platform_ok(p))
		refuse("the interrupt controller is not one the runtime drives "
		       "(GICv3, or GICv2 with GICH and GICV)",
		       "");
	if (sys->cells.count > SPH_MAX_CPUS)
		refuse("more cells than CPUs", "");
	for (i = 0; i < sys->cpus.count; i++)
		board |= 1ul << sph_cpus(sys)[i].id;
	for (i = 0; i < sys->cells.count; i++) {
		uint64_t mask = sph_cells(sys)[i].cpu_mask;

		if (!mask || mask & ~board || mask & owned)
			refuse("CPUs missing, not on the board or shared: "
			       "cell ",
			       sph_string(sys, sph_cells(sys)[i].name));
		owned |= mask;
	}
}

static struct percpu *cpus_init(void)
{
	struct percpu *boot = NULL;
	unsigned int i;

	for (i = 0; i < sys->cpus.count; i++) {
		const struct sph_cpu *c = &sph_cpus(sys)[i];
		struct percpu *cpu = &cpus[c->id];

		cpu->id = c->id;
		cpu->mpidr = c->mpidr;
		if (cpu->mpidr == arch_cpu_mpidr())
			boot = cpu;
	}
	if (!boot)
		panic("the boot CPU (MPIDR 0x%lx) is not a board CPU\n",
		      arch_cpu_mpidr());
	return boot;
}

/*
 * The blob, read at every trap, moves from the boot area (any color) into
 * the runtime's own memory (its colors). It was validated where it was.
 */
static const struct sph_header *copy_blob(void)
{
	void *copy = mem_alloc(sys->total_size, 8);

	memcpy(copy, sys, sys->total_size);
	return copy;
}

noreturn void hyp_boot(void)
{
	uint32_t console = (uint32_t)LINK_VALUE(__sph_boot_console_type);
	struct percpu *boot;
	uint64_t pool, pool_end;
	unsigned int i;

	sys = (const struct sph_header *)LINK_VALUE(__sph_system_blob);
	/*
	 * Without a console, the log is the SPH_LOG_SIZE below the blob (in
	 * the identity map): sphc ends the runtime's window of pages below it.
	 */
	if (!console_init(
		    console, LINK_VALUE(__sph_boot_console),
		    (void *)(LINK_VALUE(__sph_system_blob) - SPH_LOG_SIZE)))
		hyp_exit(EXIT_BROKEN); /* silently: nothing to print with */
	validate();
	check_system();
	arch_pool(&pool, &pool_end);
	mem_init(pool, pool_end);
	sys = copy_blob();
	printk("sph: board %s, %u CPUs, %u cells\n",
	       sph_string(sys, sph_platform(sys)->board_name), sys->cpus.count,
	       sys->cells.count);
	arch_init();
	boot = cpus_init();
	arch_cpu_init(boot);
	if (!cells_init())
		cells_summary();
	for (i = 0; i < SPH_MAX_CPUS; i++)
		if (cpus[i].cell && &cpus[i] != boot &&
		    arch_cpu_start(&cpus[i]))
			panic("cannot power on CPU %u\n", i);
	if (boot->cell)
		cell_boot(boot);
	for (;;)
		arch_wait();
}

noreturn void hyp_secondary(struct percpu *cpu)
{
	arch_cpu_init(cpu);
	cell_boot(cpu);
}
