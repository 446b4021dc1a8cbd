// SPDX-License-Identifier: MIT
/*
 * rtos: the critical bare-metal cell beside Linux (examples/linux-rtos,
 * tests/qemu/linux-rtos.yaml). On one vCPU it ticks the EL1 virtual timer
 * every PERIOD_US and records how late each tick's handler ran after its
 * deadline (min, max, and a histogram for the median), while it waits for
 * Linux's message in the shared region at MSG (tests/cells/msg.h). It answers
 * the message, prints its tick count and latency figures, and exits 0;
 * with no message within WAIT_S seconds of counter time it exits 1.
 *
 * Addresses come from the header sphc writes for a cell named rtos with a
 * shared region named msg (tests/qemu/run.py includes every cell header),
 * or from -DMSG=, -DGICD=, -DGICR= and -DGICR_STRIDE= (-DGICC= on a GICv2).
 */
#include "lib/gic.h"
#include "lib/sph.h"
#include "msg.h"

#ifndef MSG
#define MSG CELL_RTOS_SHM_MSG_BASE
#endif
#ifndef GICD
#define GICD CELL_RTOS_GICD_BASE
#ifdef CELL_RTOS_GICC_BASE
#define GICC CELL_RTOS_GICC_BASE
#else
#define GICR CELL_RTOS_GICR_BASE
#define GICR_STRIDE CELL_RTOS_GICR_STRIDE
#endif
#endif

#ifndef PERIOD_US
#define PERIOD_US 1000
#endif
#ifndef WAIT_S
#define WAIT_S 60
#endif
/* Latency histogram: exact below 64 counter ticks, then 64 buckets per
 * power of two (within 1.6%), up to 2^40 ticks. */
#define SUB 64
#define HIST (SUB + 35 * SUB)
#define VTIMER 27

int main(uint64_t dtb, unsigned int vcpu);

static volatile uint64_t ticks;
static uint32_t hist[HIST];
static uint64_t lat_min = ~0ul, lat_max, period;

static void timer_arm(uint64_t cval)
{
	asm volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
		     :
		     : "r"(cval), "r"(1ul));
}

static unsigned int bucket(uint64_t v)
{
	unsigned int e;

	if (v < SUB)
		return (unsigned int)v;
	e = 63 - (unsigned int)__builtin_clzl(v); /* 6 .. 63 */
	if (e > 40)
		return HIST - 1;
	return SUB + (e - 6) * SUB + (unsigned int)(v >> (e - 6) & (SUB - 1));
}

/* The smallest latency of bucket @b. */
static uint64_t bucket_floor(unsigned int b)
{
	unsigned int e;

	if (b < SUB)
		return b;
	e = (b - SUB) / SUB + 6;
	return (uint64_t)(SUB + (b - SUB) % SUB) << (e - 6);
}

void irq_handler(unsigned int intid)
{
	uint64_t now = counter(), cval, late;

	if (intid != VTIMER)
		return;
	asm volatile("mrs %0, cntv_cval_el0" : "=r"(cval));
	late = now - cval;
	hist[bucket(late)]++;
	lat_min = late < lat_min ? late : lat_min;
	lat_max = late > lat_max ? late : lat_max;
	ticks = ticks + 1;
	/* The next deadline from this one: missed ticks show as latency. */
	timer_arm(cval + period);
}

static uint64_t median(uint64_t n)
{
	uint64_t seen = 0;
	unsigned int i;

	for (i = 0; i < HIST; i++) {
		seen += hist[i];
		if (seen * 2 >= n)
			return bucket_floor(i);
	}
	return bucket_floor(HIST - 1);
}

static uint64_t ns(uint64_t counter_ticks)
{
	return counter_ticks * 1000000000ul / counter_freq();
}

/* Copy Linux's text out of device-like memory a word at a time. */
static void read_text(const volatile struct msg_slot *s, char *out)
{
	uint32_t len = s->len < MSG_TEXT ? s->len : MSG_TEXT, i, w = 0;

	for (i = 0; i < len; i++) {
		if (!(i & 3))
			w = s->text[i / 4];
		out[i] = (char)(w >> (i & 3) * 8);
	}
	out[len] = 0;
}

static void write_text(volatile struct msg_slot *s, const char *text)
{
	uint32_t i, w = 0, len = 0;

	while (text[len] && len < MSG_TEXT)
		len++;
	for (i = 0; i < len; i++) {
		w |= (uint32_t)(uint8_t)text[i] << (i & 3) * 8;
		if ((i & 3) == 3 || i == len - 1) {
			s->text[i / 4] = w;
			w = 0;
		}
	}
	s->len = len;
	asm volatile("dmb sy" ::: "memory");
	s->seq = 1;
}

static void format_reply(char *buf, uint64_t n)
{
	static const char head[] = "hello linux, rtos here: ";
	static const char tail[] = " ticks so far";
	char digits[24];
	unsigned int i = 0, d = 0;

	do
		digits[d++] = (char)('0' + n % 10);
	while (n /= 10);
	for (; head[i]; i++)
		buf[i] = head[i];
	while (d)
		buf[i++] = digits[--d];
	for (d = 0; tail[d]; d++)
		buf[i++] = tail[d];
	buf[i] = 0;
}

int main(uint64_t dtb, unsigned int vcpu)
{
	volatile struct msg_box *box = (volatile struct msg_box *)MSG;
	uint64_t deadline, n;
	char text[MSG_TEXT + 1], reply[64];

	(void)dtb;
	(void)vcpu;
	printf("rtos: ticking every %u us, waiting for linux\n", PERIOD_US);
#ifdef GICC
	gic_setup_v2(GICD, GICC);
#else
	gic_setup(GICD, GICR, GICR_STRIDE);
#endif
	period = counter_freq() / 1000000 * PERIOD_US;
	deadline = counter() + counter_freq() * WAIT_S;
	gic_enable(VTIMER, 0x80, 0);
	timer_arm(counter() + period);
	while (!box->to_rtos.seq) {
		if (counter() > deadline) {
			printf("rtos: no message from linux in %u s\n", WAIT_S);
			return 1;
		}
		asm volatile("wfi" ::: "memory");
	}
	asm volatile("dmb sy" ::: "memory");
	read_text(&box->to_rtos, text);
	n = ticks;
	printf("rtos: message from linux: %s\n", text);
	format_reply(reply, n);
	write_text(&box->to_linux, reply);
	asm volatile("msr cntv_ctl_el0, xzr; isb");
	printf("rtos: %lu ticks while linux booted; tick latency min %lu ns, "
	       "median %lu ns, max %lu ns\n",
	       n, ns(lat_min), ns(median(n)), ns(lat_max));
	return 0;
}
