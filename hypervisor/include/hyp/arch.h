/* SPDX-License-Identifier: MIT */
/*
 * What core/ needs from arch/<arch>/. Every hook is implemented there;
 * there are no weak defaults, so a missing one fails the link.
 */
#ifndef HYP_ARCH_H
#define HYP_ARCH_H

#include <hyp/lib.h>

struct cell;
struct percpu;

struct sph_platform;

/* arch_platform_ok - whether the runtime drives the board's interrupt
 * controller (and picks the driver for it). */
bool arch_platform_ok(const struct sph_platform *p);

/* arch_init - boot CPU, once the blob is valid: RAM in the identity map,
 * the check that the runtime's pages are of its colors, the GIC. */
void arch_init(void);

/* arch_pool - the part of the runtime's own memory (its colors) that the
 * page tables and stacks come from, as addresses the runtime uses. */
void arch_pool(uint64_t *start, uint64_t *end);

/* arch_virt_to_phys - the physical address of runtime memory at @p (from
 * arch_pool() or its image), for the tables the hardware walks. */
uint64_t arch_virt_to_phys(const void *p);

/* arch_cpu_init - this CPU: traps to EL2, its GIC frame (head.S turned
 * its MMU on). */
void arch_cpu_init(struct percpu *cpu);

/* arch_cpu_start - power on @cpu at secondary_entry (via firmware). */
int arch_cpu_start(struct percpu *cpu);

/* arch_cpu_mpidr - the affinity fields of the calling CPU's MPIDR. */
uint64_t arch_cpu_mpidr(void);

/* arch_this_cpu - the calling CPU's percpu (after arch_cpu_init). */
struct percpu *arch_this_cpu(void);

/* arch_cell_init - an empty stage 2 for @cell. */
void arch_cell_init(struct cell *cell);

/* arch_map - map [ipa, ipa + size) of @cell to @pa with SPH_REGION_*
 * @flags; size and addresses are page aligned. */
void arch_map(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size,
	      unsigned int flags);

/* arch_translate - the PA of IPA @ipa in @cell's stage 2, and its
 * SPH_REGION_{READ,WRITE,EXEC,IO} flags; 0 when unmapped. */
unsigned int arch_translate(struct cell *cell, uint64_t ipa, uint64_t *pa);

/* arch_stage2_commit - make all table edits visible to the walkers. */
void arch_stage2_commit(void);

/* arch_sync_memory - after writing cell memory the cell may run
 * with caches off: clean [p, p + size) to the point of coherency. */
void arch_sync_memory(void *p, uint64_t size);

/* arch_vcpu_enter - enter @cpu's vCPU at @entry with first argument @arg. */
noreturn void arch_vcpu_enter(struct percpu *cpu, uint64_t entry, uint64_t arg);

/* arch_cell_irqs - set up @cell's interrupts on the interrupt
 * controller (once its vCPUs exist). */
void arch_cell_irqs(struct cell *cell);

/* arch_doorbell - ring doorbell INTID @intid of the caller's cell for its
 * peers: how many were rung, or -1 if the cell has no such doorbell. */
long arch_doorbell(struct percpu *cpu, uint32_t intid);

/* arch_kick - interrupt @cpu so it passes through EL2 soon. */
void arch_kick(struct percpu *cpu);

/* arch_wait / arch_wake - sleep until an event; signal all sleepers. */
void arch_wait(void);
void arch_wake(void);

/* arch_report - figures the arch code gathered (make bench-runtime),
 * printed before the exit status. */
void arch_report(void);

/* arch_power_off - turn the machine off (QEMU exits). */
noreturn void arch_power_off(void);

/* arch_flush_memory - clean and invalidate [pa, pa + size) from the data
 * caches to the point of coherency (set/way emulation). */
void arch_flush_memory(uint64_t pa, uint64_t size);

/* arch_counter - the system counter; arch_counter_freq - its ticks/s. */
uint64_t arch_counter(void);
uint64_t arch_counter_freq(void);

/* Provided by core, called by the arch entry code with a stack set up:
 * the boot CPU at EL2 with the MMU off, and every CPU_ON'd CPU. */
noreturn void hyp_boot(void);
noreturn void hyp_secondary(struct percpu *cpu);

#endif
