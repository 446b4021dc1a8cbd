/* SPDX-License-Identifier: MIT */
/* The trap frame head.S saves on every trap from a cell; CPU stacks. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#define REGS_SIZE 272
#define STACK_SIZE 0x2000 /* per CPU */
#define IRQ_FRAME 176	  /* x0-x18, x29, x30 and a bench slot */
/* SCTLR_EL2 with only its RES1 bits: MMU, caches and checks off. */
#define SCTLR_EL2_OFF 0x30c50830

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct cell;
struct percpu;

struct regs {
	uint64_t x[31];
	uint64_t elr, spsr, pad;
};

_Static_assert(sizeof(struct regs) == REGS_SIZE, "regs");

/* Called from the vectors in head.S. */
void trap_sync(struct regs *r);
void trap_irq(void);
void trap_serror(struct regs *r);
void trap_unexpected(struct regs *r);
void hyp_fault(struct regs *r);

/* Kinds of traps make bench-runtime counts (bench.c): percpu.bench_kind. */
enum bench_kind {
	BENCH_NONE,
	BENCH_IRQ_INJECT,
	BENCH_SGI_SEND,
	BENCH_SGI_RECEIVE,
	BENCH_DOORBELL,
	BENCH_HYPERCALL,
	BENCH_IRQ_EOI, /* GICv2: deactivating a forwarded one after its EOI */
	BENCH_KINDS
};

void bench_cpu_init(void);
/* bench_account - file @count EL2 instructions of the trap that ends
 * under its percpu.bench_kind (head.S, outside the counted window). */
void bench_account(struct percpu *cpu, uint64_t count);

/* trap_stop - stop the trapping cell, reporting @what, PC and syndrome. */
noreturn void trap_stop(struct percpu *cpu, const struct regs *r, uint64_t esr,
			const char *what);

/* sysreg_trap - a trapped system register or instruction (EC 0x18). */
void sysreg_trap(struct percpu *cpu, struct regs *r, uint64_t esr);

/* psci_call - emulate PSCI for the cell; false if @r is no PSCI call. */
bool psci_call(struct percpu *cpu, struct regs *r);

/*
 * The interrupt controller (gic.c) and its drivers (gicv2.c, gicv3.c):
 *   init - the distributor, once; cpu_init - this CPU's interfaces;
 *   kick - send SGI_KICK to @cpu;
 *   irq - take this CPU's pending physical interrupt (and inject it into
 *     its vCPU when it is the cell's);
 * and, for a driver that virtualizes the GIC for cells (else NULL):
 *   cell_init - a cell's interrupts on the physical GIC, at boot;
 *   vcpu_reset - the virtual CPU interface of a vCPU about to enter;
 *   mmio - emulate a trapped access to the distributor or redistributors
 *     (true if it was one; ELR_EL2 moved past it);
 *   sgi - a cell's write to ICC_SGI1R_EL1;
 *   doorbell - ring doorbell @intid for the caller's peers: how many, or
 *     -1 if the caller has no such doorbell.
 */
#define SGI_KICK 0

struct gic_ops {
	void (*init)(void);
	void (*cpu_init)(struct percpu *cpu);
	void (*kick)(struct percpu *cpu);
	void (*irq)(struct percpu *cpu);
	void (*cell_init)(struct cell *cell);
	void (*vcpu_reset)(struct percpu *cpu);
	bool (*mmio)(struct percpu *cpu, struct regs *r, uint64_t esr,
		     uint64_t ipa);
	void (*sgi)(struct percpu *cpu, uint64_t value);
	long (*doorbell)(struct percpu *cpu, uint32_t intid);
};

extern const struct gic_ops gicv2_ops, gicv3_ops;

/* gic_select - use the driver of the platform's GIC; false if there is
 * none (or a GICv2 without its virtualization frames). */
bool gic_select(const struct sph_platform *p);
void gic_init(void);
void gic_cpu_init(struct percpu *cpu);
void gic_irq(struct percpu *cpu);
void gic_vcpu_reset(struct percpu *cpu);
bool gic_mmio(struct percpu *cpu, struct regs *r, uint64_t esr, uint64_t ipa);
/* gic_sgi - false if SGIs are not virtualized (the cell is stopped). */
bool gic_sgi(struct percpu *cpu, uint64_t value);
#endif

#endif
