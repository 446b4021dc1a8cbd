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
	console_write(buf, (uint64_t)n);
}

/* The runtime takes at most SPH_CONSOLE_WRITE_MAX bytes a call. */
void console_write(const char *s, uint64_t n)
{
	long done;

	while (n) {
		done = sph_hvc(SPH_HC_CONSOLE_WRITE, (uint64_t)s, n, 0);
		if (done <= 0)
			return;
		s += done;
		n -= (uint64_t)done;
	}
}

/* Names of the saved registers of lib/start.S's probe (struct layout). */
static const char *const state_names[] = {
	"SP_EL0",	 "SCTLR_EL1",	  "TTBR0_EL1",
	"TTBR1_EL1",	 "TCR_EL1",	  "MAIR_EL1",
	"AMAIR_EL1",	 "VBAR_EL1",	  "CONTEXTIDR_EL1",
	"TPIDR_EL0",	 "TPIDR_EL1",	  "TPIDRRO_EL0",
	"ELR_EL1",	 "SPSR_EL1",	  "ESR_EL1",
	"FAR_EL1",	 "AFSR0_EL1",	  "AFSR1_EL1",
	"PAR_EL1",	 "CPACR_EL1",	  "CNTKCTL_EL1",
	"CNTV_CTL_EL0",	 "CNTV_CVAL_EL0", "CNTP_CTL_EL0",
	"CNTP_CVAL_EL0", "CSSELR_EL1",	  "SP",
	"FPCR",		 "FPSR",	  "DAIF",
	"CurrentEL",	 "SPSel",
};

/* What each must hold: the reset state; EL1h with D, A, I, F masked. */
static uint64_t state_reset(unsigned int i)
{
	switch (i) {
	case 1:
		return 0x30d00800; /* SCTLR_EL1 */
	case 29:
		return 0x3c0; /* DAIF */
	case 30:
		return 1 << 2; /* CurrentEL: EL1 */
	case 31:
		return 1; /* SPSel: SP_EL1 */
	default:
		return 0;
	}
}

int entry_state_check(const struct entry_state *st, uint64_t x0,
		      const char *what)
{
	unsigned int i, bad = 0;
	uint64_t want;

	if (st->x[0] != x0) {
		printf("entry state (%s): x0 = 0x%lx, expected 0x%lx\n", what,
		       st->x[0], x0);
		bad++;
	}
	for (i = 1; i < 31; i++)
		if (st->x[i]) {
			printf("entry state (%s): x%u = 0x%lx\n", what, i,
			       st->x[i]);
			bad++;
		}
	for (i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++) {
		want = state_reset(i);
		if (st->sys[i] != want) {
			printf("entry state (%s): %s = 0x%lx\n", what,
			       state_names[i], st->sys[i]);
			bad++;
		}
	}
	for (i = 0; i < 64; i++)
		if (st->v[i]) {
			printf("entry state (%s): V%u = 0x%lx (half %u)\n",
			       what, i / 2, st->v[i], i % 2);
			bad++;
		}
	if (!bad)
		printf("entry state (%s): clean (x0, x1-x30, %u system "
		       "registers, V0-V31)\n",
		       what,
		       (unsigned int)(sizeof(state_names) /
				      sizeof(state_names[0])));
	return (int)bad;
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
