/* SPDX-License-Identifier: MIT */
/*
 * Cells and the physical CPUs that run them.
 *
 * Every board CPU owned by a cell runs exactly one vCPU of it; vCPU n of a
 * cell is its n-th CPU in ascending board id and reads MPIDR n (Aff0).
 *
 * Cell lifecycle (transitions under one lock, each printed):
 *
 *   NO_IMAGE  no payload: never started, not counted as a failure.
 *   RUNNING   every vCPU enters cell.entry with x0 = cell.dtb_ipa (only
 *             vCPU 0 for an image with the arm64 Image header: the Linux
 *             boot protocol), cells in boot order: a cell's CPUs enter only
 *             after all CPUs of the cells before it have entered.
 *     -> EXITED  exit hypercall or PSCI SYSTEM_OFF (status as given), or
 *                PSCI CPU_OFF on its last running vCPU (status 0).
 *     -> STOPPED a violation: stage-2 fault, an SMC that is not PSCI, or
 *                any other trap the runtime does not handle.
 *
 * When a cell ends, its output stops (what its vCPUs still print is
 * dropped), the CPU that ended it parks in EL2 and kicks the cell's
 * other CPUs with an SGI; each of them parks on its way through EL2 (a vCPU
 * that is off parks too). When the last started cell ends, that CPU waits
 * until every other CPU of every cell has parked, prints a summary and
 * ends QEMU.
 *
 * vCPU power (PSCI): ON -> OFF on CPU_OFF (the CPU waits in EL2), OFF -> ON
 * on a CPU_ON from a vCPU of the same cell (it enters at the given address,
 * which must be executable RAM of the cell, with x0 = context). All vCPUs
 * start ON (but those of a Linux image), so CPU_ON at boot is ALREADY_ON.
 */
#ifndef HYP_CELL_H
#define HYP_CELL_H

#include <hyp/lib.h>
#include <hyp/vuart.h>
#include <sph/abi.h>
#include <asm/cell.h>

#define CONSOLE_LINE 120

enum vcpu_power { VCPU_OFF, VCPU_ON };

struct percpu {
	uint64_t stack_top;	 /* first: head.S loads it on CPU_ON */
	unsigned int bench_kind; /* SPH_BENCH: what this trap is */
	unsigned int id;	 /* board CPU id */
	uint64_t mpidr;
	struct cell *cell; /* NULL: not in a started cell */
	unsigned int vcpu; /* index in the cell */
	enum vcpu_power power;
	uint64_t entry, arg;   /* where the vCPU enters when powered on */
	unsigned int line_len; /* console output not yet printed */
	char line[CONSOLE_LINE + 1];
	struct arch_vcpu arch;
};

enum cell_state { CELL_NO_IMAGE, CELL_RUNNING, CELL_EXITED, CELL_STOPPED };

/* A cell's console output budget: a token bucket of bytes (console.c). */
struct console_budget {
	spinlock_t lock;
	uint64_t bytes;	  /* may print now */
	uint64_t stamp;	  /* counter time the bucket was last filled to */
	uint64_t dropped; /* since the last note; muted while non-zero */
};

struct cell {
	const struct sph_cell *cfg;
	const char *name;
	enum cell_state state;
	int status;	      /* exit status when EXITED */
	unsigned int rank;    /* position in boot order */
	bool loaded;	      /* image and DTB copied in (by vCPU 0's CPU) */
	unsigned int entered; /* vCPUs that have come to enter at boot */
	unsigned int ready;   /* of them, past the "starting" line */
	unsigned int vcpus_on;
	unsigned int num_vcpus;
	struct percpu *vcpu[SPH_MAX_CPUS];
	struct console_budget budget;
	struct vuart vuart; /* its console page's registers */
	struct arch_cell arch;
};

extern struct percpu cpus[SPH_MAX_CPUS];

/* cells_init - build every cell from the blob: its stage 2 and CPUs
 * (cell_boot loads its image and DTB). Returns how many cells will run. */
unsigned int cells_init(void);

/* cell_of - the cell of index @index in the blob, or NULL if it has no
 * image (and so no vCPUs). */
struct cell *cell_of(unsigned int index);

/* cell_boot - load the cell (on its vCPU 0's CPU), then enter this CPU's
 * vCPU once the cell is loaded and its turn has come. */
noreturn void cell_boot(struct percpu *cpu);

/* cells_summary - print every cell's state and end QEMU with the status
 * the README documents (the number of cells that failed). */
noreturn void cells_summary(void);

/* cell_exit - end the caller's cell with @status, then park. */
noreturn void cell_exit(struct percpu *cpu, int status);

/* cell_stop - stop the caller's cell for a violation; @fmt is the report. */
noreturn void cell_stop(struct percpu *cpu, const char *fmt, ...)
	printf_like(2, 3);

/* cell_check - park this CPU if its cell has ended meanwhile. */
void cell_check(struct percpu *cpu);

/* vcpu_on - PSCI CPU_ON of vCPU @n of the caller's cell. PSCI result. */
long vcpu_on(struct percpu *cpu, uint64_t n, uint64_t entry, uint64_t arg);

/* vcpu_off - PSCI CPU_OFF: wait in EL2 until powered on again. */
noreturn void vcpu_off(struct percpu *cpu);

/* vcpu_affinity - PSCI AFFINITY_INFO of vCPU @n: 0 on, 1 off, or error. */
long vcpu_affinity(struct percpu *cpu, uint64_t n);

/* hypercall - the sph hypercalls (sph/hypercall.h); returns x0. */
long hypercall(struct percpu *cpu, uint64_t fn, uint64_t a1, uint64_t a2);

#endif
