/* SPDX-License-Identifier: MIT */
/*
 * The message box Linux user space (tests/linux/shm-talk.c) and the rtos
 * cell (tests/cells/rtos.c) share: the start of a shared region that both
 * may write. Each side owns one slot: it writes the text and its length,
 * then, after a barrier, a non-zero seq; the reader polls seq.
 *
 * Linux maps the region through /dev/mem with O_SYNC (device memory:
 * aligned 32-bit accesses only, no memcpy); the rtos cell runs with its
 * MMU off. Both sides therefore access it uncached, so no cache
 * maintenance is needed on hardware either.
 */
#ifndef TEST_MSG_H
#define TEST_MSG_H

#include <stdint.h>

#define MSG_TEXT 112 /* bytes, a multiple of 4 */

struct msg_slot {
	uint32_t seq; /* 0 until the text is complete */
	uint32_t len; /* bytes of text, at most MSG_TEXT */
	uint32_t text[MSG_TEXT / 4];
	uint32_t reserved[2];
};

struct msg_box {
	struct msg_slot to_rtos;
	struct msg_slot to_linux;
};

_Static_assert(sizeof(struct msg_slot) == 128, "msg_slot");

#endif
