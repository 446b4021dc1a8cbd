/* SPDX-License-Identifier: MIT */
/* Freestanding basics: sizes, alignment, string functions, spinlocks. */
#ifndef HYP_LIB_H
#define HYP_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 0x1000ul
#define SZ_2M 0x200000ul
#define SZ_1M 0x100000ul
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + (a)-1, a)
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define noreturn __attribute__((noreturn))
#define printf_like(f, a) __attribute__((format(printf, f, a)))

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
size_t strlen(const char *s);

/*
 * A ticket lock: waiters are served in arrival order, so no CPU (and no
 * cell behind it) can starve another. Waiters sleep in WFE; unlock wakes
 * them with SEV (under QEMU's round-robin TCG, WFE also yields the host
 * thread to the CPU that holds the lock).
 */
typedef struct {
	uint32_t next, owner;
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		asm volatile("wfe" : : : "memory");
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
	asm volatile("dsb ish; sev" : : : "memory");
}

#endif
