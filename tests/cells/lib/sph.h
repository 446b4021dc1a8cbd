/* SPDX-License-Identifier: MIT */
/* What test payloads use: sph hypercalls, PSCI, a small printf, the DTB. */
#ifndef TEST_SPH_H
#define TEST_SPH_H

#include <stdint.h>
#include <sph/hypercall.h>

/* What hello stores in a shared region for violator to find. */
#define SHM_MAGIC 0x5348415245440001ul

long sph_hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
long sph_smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

/* printf - %s %c %d %u %x %lu %lx %ld, through SPH_HC_CONSOLE_WRITE. */
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void sph_exit(int status);

/* console_write - all of @s, in as many hypercalls as the runtime needs. */
void console_write(const char *s, uint64_t n);

/*
 * What lib/start.S's probe saves at a vCPU's entry, before it touches
 * anything (entry_probe: built with -DENTRY_PROBE, and probe_entry, a
 * PSCI CPU_ON entry whose context is the struct to fill). sys[] is in the
 * order of state_names in sph.c; "SP" is SP_EL1 (0 at entry; the boot
 * probe cannot see it and stores the DTB there).
 */
struct entry_state {
	uint64_t x[31];
	uint64_t sys[32];
	uint64_t v[64];
	uint64_t done;
};

extern struct entry_state boot_entry_state;

/* entry_state_check - print every register not in its reset state (x0
 * must be @x0); one "clean" line if none. Returns how many were not. */
int entry_state_check(const struct entry_state *st, uint64_t x0,
		      const char *what);

/* The cell's name, from SPH_HC_CELL_NAME. */
const char *cell_name(void);

/* fdt_summary - RAM bytes of the /memory nodes and /cpus/cpu@ count. */
int fdt_summary(const void *fdt, uint64_t *ram, unsigned int *cpus);

#endif
