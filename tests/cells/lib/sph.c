// SPDX-License-Identifier: MIT
/* Test payload support: hypercalls, printf, exit, EL1 exceptions. */
#include <stdarg.h>
#include <stdbool.h>
#include "sph.h"

long sph_hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 asm("x0") = fn, x1 asm("x1") = a1;
	register uint64_t x2 asm("x2") = a2, x3 asm("x3") = a3;

	asm volatile("hvc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "memory");
	return (long)x0;
}

long sph_smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 asm("x0") = fn, x1 asm("x1") = a1;
	register uint64_t x2 asm("x2") = a2, x3 asm("x3") = a3;

	asm volatile("smc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "memory");
	return (long)x0;
}

static void put_num(char *buf, int *n, uint64_t v, unsigned int base)
{
	char tmp[24];
	int k = 0;

	do {
		tmp[k++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (k && *n < 200)
		buf[(*n)++] = tmp[--k];
}

void printf(const char *fmt, ...)
{
	char buf[256];
	int n = 0;
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt && n < 200; fmt++) {
		bool is_long = false;
		const char *s;
		int64_t v;

		if (*fmt != '%') {
			buf[n++] = *fmt;
			continue;
		}
		while (*++fmt == 'l')
			is_long = true;
		switch (*fmt) {
		case 's':
			for (s = va_arg(ap, const char *); *s && n < 200; s++)
				buf[n++] = *s;
			break;
		case 'c':
			buf[n++] = (char)va_arg(ap, int);
			break;
		case 'd':
			v = is_long ? va_arg(ap, int64_t) : va_arg(ap, int);
			if (v < 0) {
				buf[n++] = '-';
				v = -v;
			}
			put_num(buf, &n, (uint64_t)v, 10);
			break;
		default: /* u, x */
			put_num(buf, &n,
				is_long ? va_arg(ap, uint64_t)
					: va_arg(ap, unsigned int),
				*fmt == 'x' ? 16 : 10);
		}
	}
	va_end(ap);
	sph_hvc(SPH_HC_CONSOLE_WRITE, (uint64_t)buf, (uint64_t)n, 0);
}

void sph_exit(int status)
{
	sph_hvc(SPH_HC_CELL_EXIT, (uint64_t)status, 0, 0);
	for (;;)
		;
}

const char *cell_name(void)
{
	static char name[64];

	sph_hvc(SPH_HC_CELL_NAME, (uint64_t)name, sizeof(name), 0);
	return name;
}

void el1_exception(void);
void el1_exception(void)
{
	uint64_t esr, elr;

	asm volatile("mrs %0, esr_el1; mrs %1, elr_el1" : "=r"(esr), "=r"(elr));
	printf("unexpected exception at EL1: ESR 0x%lx, ELR 0x%lx\n", esr, elr);
	sph_exit(99);
}
