/* SPDX-License-Identifier: MIT */
/* The handshake of attack.c and victim.c through their shared regions. */
#ifndef TEST_ATTACK_H
#define TEST_ATTACK_H

/* view[0], written by the victim. */
#define GO 0x60
#define MEASURED 0x3ea5

/* note[0], written by the attacker. */
#define NOTE_STARTED 0x57a7
#define NOTE_DONE 0xd0e
#define NOTE_FLOODING 0xf100d

/*
 * Waiting cells sleep in WFE and writers send SEV: under QEMU's
 * round-robin TCG (-icount) a CPU that spins without one keeps the host
 * thread for its whole time slice, and the others do not run meanwhile.
 */
static inline void wait_event(void)
{
	asm volatile("wfe" : : : "memory");
}

static inline void send_event(void)
{
	asm volatile("dsb sy; sev" : : : "memory");
}

#endif
