// SPDX-License-Identifier: MIT
/* The string functions the compiler may call even when freestanding. */
#include <hyp/lib.h>

/*
 * Eight bytes at a time where both ends allow it: the runtime clears page
 * tables and stacks and copies whole cell images, and under QEMU's -icount
 * every instruction here delays the cells (see critical-start in README).
 */
typedef uint64_t __attribute__((may_alias)) word_t; /* aliases anything */
#define WORD sizeof(word_t)
#define ALIGNED(a, b) ((((uintptr_t)(a) | (uintptr_t)(b)) & (WORD - 1)) == 0)

void *memcpy(void *dst, const void *src, size_t n)
{
	return memmove(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d <= s) {
		if (ALIGNED(d, s))
			for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
				*(word_t *)d = *(const word_t *)s;
		while (n--)
			*d++ = *s++;
	} else {
		if (ALIGNED(d + n, s + n))
			for (; n >= WORD; n -= WORD)
				*(word_t *)(d + n - WORD) =
					*(const word_t *)(s + n - WORD);
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	uint64_t v = 0x0101010101010101ul * (uint8_t)c;

	for (; n && (uintptr_t)d & (WORD - 1); n--)
		*d++ = (uint8_t)c;
	for (; n >= WORD; n -= WORD, d += WORD)
		*(word_t *)d = v;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
