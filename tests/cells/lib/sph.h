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

/* The cell's name, from SPH_HC_CELL_NAME. */
const char *cell_name(void);

/* fdt_summary - RAM bytes of the /memory nodes and /cpus/cpu@ count. */
int fdt_summary(const void *fdt, uint64_t *ram, unsigned int *cpus);

#endif
