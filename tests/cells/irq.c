// SPDX-License-Identifier: MIT
/*
 * irq: interrupts in a cell, one test per build (-DTEST=test_NAME, see
 * tests/qemu/run.py and the irq-*.yaml systems). Every test prints what it
 * saw and returns 0 when that is what the runtime promises.
 *
 *   test_timer     100 ticks of the EL1 virtual timer (PPI 27), and the
 *                  latency from each deadline to the handler, in ticks
 *   test_ipi       SGI 3 from vCPU 0 to vCPU 1 of the cell; then an SGI to
 *                  a CPU outside the cell, which must be dropped; then
 *                  one SGI sent twice while masked, taken once
 *   test_priority  8 low-priority SPIs of the cell pending; while the first
 *                  is handled, 8 high-priority ones: handled strictly by
 *                  priority
 *   test_ping / test_pong   a doorbell ping-pong through a shared region
 *   test_guarded / test_intruder   the intruder tries to enable, pend,
 *                  prioritise and route the guarded cell's SPI, SGIs it,
 *                  and floods its own SPI while the guarded cell counts its
 *                  timer ticks and checks that nothing of it changed
 */
#include "lib/gic.h"
#include "lib/sph.h"

#ifndef TICKS
#define TICKS 100
#endif
#ifndef PERIOD_US
#define PERIOD_US 1000 /* of the timer ticks */
#endif
#ifndef IPI_ROUNDS
#define IPI_ROUNDS 1
#endif
#ifndef HYPERCALLS
#define HYPERCALLS 0
#endif
#define LOW 96 /* the priority test's SPIs: 96..103 low, 104..111 high */
#define HIGH 104
#define GUARDED_SPI 112
#define INTRUDER_SPI 113
#ifndef ROUNDS
#define ROUNDS 10
#endif
#define FLOOD_MAX 10000000u

#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICFGR 0xc00
#define GICD_IPRIORITYR 0x400

int TEST(void);
int main(uint64_t dtb, unsigned int vcpu);

static volatile unsigned int handled, order[32], got_sgi, vcpu1_ready;
static volatile unsigned int tick_count; /* timer interrupts, apart */
static volatile uint64_t latency[TICKS];
static uint64_t period;

int test_priority(void);

static void setup(unsigned int vcpu)
{
	(void)vcpu;
#ifdef GICC
	gic_setup_v2(GICD, GICC);
#else
	gic_setup(GICD, GICR, GICR_STRIDE);
#endif
}

static void timer_arm(uint64_t cval)
{
	asm volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
		     :
		     : "r"(cval), "r"(1ul));
}

static uint64_t timer_cval(void)
{
	uint64_t v;

	asm volatile("mrs %0, cntv_cval_el0" : "=r"(v));
	return v;
}

static void wait_for(volatile unsigned int *v, unsigned int n)
{
	while (*v < n)
		asm volatile("wfi" : : : "memory");
}

void irq_handler(unsigned int intid)
{
	uint64_t now = counter(), cval;

	if (intid == 27) {
		cval = timer_cval();
		if (tick_count < TICKS)
			latency[tick_count] = now - cval;
		if (++tick_count < TICKS)
			timer_arm(cval + period);
		else
			asm volatile("msr cntv_ctl_el0, xzr; isb");
		return;
	}
	if (handled < 32)
		order[handled] = intid;
	handled++;
	if (intid < 16)
		got_sgi++;
	if (TEST == test_priority && intid == LOW)
		gic_pend(96, 0xffu << (HIGH - 96));
#ifdef BELL
	if (intid == BELL)
		got_sgi++; /* the doorbell rang */
#endif
}

static void sort(uint64_t *v, unsigned int n)
{
	unsigned int i, j;
	uint64_t t;

	for (i = 1; i < n; i++)
		for (j = i; j && v[j - 1] > v[j]; j--)
			t = v[j], v[j] = v[j - 1], v[j - 1] = t;
}

static unsigned int ticks(void)
{
	uint64_t l[TICKS];
	unsigned int i;

	period = counter_freq() / 1000000 * PERIOD_US;
	tick_count = 0;
	gic_enable(27, 0x80, 0);
	timer_arm(counter() + period);
	wait_for(&tick_count, TICKS);
	for (i = 0; i < TICKS; i++)
		l[i] = latency[i];
	sort(l, TICKS);
	printf("timer: %u ticks; deadline to handler min %lu, median %lu, "
	       "max %lu ticks (%lu ns per tick)\n",
	       tick_count, l[0], l[TICKS / 2], l[TICKS - 1],
	       1000000000ul / counter_freq());
	return tick_count;
}

int test_timer(void)
{
	int i;

	setup(0);
	if (ticks() != TICKS)
		return 1;
	for (i = 0; i < (int)HYPERCALLS; i++)
		sph_hvc(SPH_HC_CELL_ID, 0, 0, 0);
	return 0;
}

/* vCPU 1: take SGI 3 once, report, power off. */
static void ipi_target(void)
{
	setup(1);
	gic_enable(3, 0x80, 1);
	vcpu1_ready = 1;
	wait_for(&got_sgi, IPI_ROUNDS);
	printf("vCPU 1 got SGI %u\n", order[0]);
	sph_smc(PSCI_CPU_OFF, 0, 0, 0);
}

int test_ipi(void)
{
	unsigned int before, i;
	uint64_t deadline;

	setup(0);
	while (!vcpu1_ready)
		asm volatile("wfe");
	for (i = 1; i <= IPI_ROUNDS; i++) {
		gic_sgi(3, 1u << 1);
		while (got_sgi < i)
			;
	}
	while (sph_smc(PSCI_AFFINITY_INFO, 1, 0, 0) != 1)
		;
	/* Aff1 = 1 names a CPU no vCPU of this cell has; bit 2 a vCPU it
	 * lacks. Neither may reach anything, this vCPU included. */
	before = handled;
	gic_sgi_elsewhere(3);
	gic_sgi(3, 1u << 2);
	deadline = counter() + counter_freq() / 100;
	while (counter() < deadline)
		;
	printf("sent SGIs outside the cell; %u interrupts came of them\n",
	       handled - before);
	if (handled != before)
		return 1;
	/* SGI 4 to itself twice while masked: one pending state, taken
	 * once (two list registers with one INTID are UNPREDICTABLE). */
	gic_enable(4, 0x80, 0);
	asm volatile("msr daifset, #2; isb");
	gic_sgi(4, 1u << 0);
	gic_sgi(4, 1u << 0);
	asm volatile("msr daifclr, #2; isb");
	deadline = counter() + counter_freq() / 100;
	while (counter() < deadline)
		;
	printf("SGI 4 sent twice while masked: taken %u time(s)\n",
	       handled - before);
	return handled - before != 1;
}

int test_priority(void)
{
	unsigned int i, ok, seen = 0;

	setup(0);
	asm volatile("msr daifset, #2");
	for (i = LOW; i < HIGH + 8; i++) {
		gic_enable(i, i < HIGH ? 0xc0 : 0x40, 0);
		gicd_write(GICD_ICFGR + 4 * (i / 16),
			   gicd_read(GICD_ICFGR + 4 * (i / 16)) |
				   2u << 2 * (i % 16)); /* edge */
	}
	gic_pend(96, 0xffu << (LOW - 96));
	asm volatile("msr daifclr, #2; isb");
	wait_for(&handled, 16);
	printf("handled in order:");
	for (i = 0; i < 16; i++)
		printf(" %u", order[i]);
	printf("\n");
	/*
	 * The first low one, then every high one, then the other low ones:
	 * by priority (equal priorities may come in any order), and each
	 * exactly once.
	 */
	ok = order[0] == LOW;
	for (i = 1; i < 16; i++)
		ok &= i <= 8 ? order[i] >= HIGH && order[i] < HIGH + 8
			     : order[i] > LOW && order[i] < HIGH;
	for (i = 0; i < 16; i++)
		seen |= 1u << (order[i] - LOW);
	ok &= seen == 0xffff;
	printf("priority order: %s\n", ok ? "ok" : "broken");
	return ok ? 0 : 1;
}

#ifdef BELL
static volatile uint64_t *bell = (volatile uint64_t *)SHM;

static long ring(void)
{
	return sph_hvc(SPH_HC_DOORBELL, BELL, 0, 0);
}

int test_ping(void)
{
	unsigned int round;
	long peers;

	setup(0);
	gic_enable(BELL, 0x80, 0);
	for (round = 1; round <= ROUNDS; round++) {
		bell[0] = round;
		/* 0 until the peer has enabled it; WFE lets QEMU's round-robin
		 * TCG (-icount) run the peer meanwhile. */
		while ((peers = ring()) == 0)
			asm volatile("wfe");
		if (peers != 1) {
			printf("doorbell: %ld\n", peers);
			return 1;
		}
		wait_for(&got_sgi, round);
		if (bell[1] != round) {
			printf("round %u: pong wrote %lu\n", round, bell[1]);
			return 1;
		}
	}
	printf("%u rounds of ping-pong through doorbell %u\n", ROUNDS, BELL);
	printf("a doorbell the cell has not: %ld\n",
	       sph_hvc(SPH_HC_DOORBELL, BELL + 1, 0, 0));
	return 0;
}

int test_pong(void)
{
	unsigned int round;

	setup(0);
	gic_enable(BELL, 0x80, 0);
	for (round = 1; round <= ROUNDS; round++) {
		wait_for(&got_sgi, round);
		bell[1] = bell[0];
		ring();
	}
	printf("answered %u rings\n", ROUNDS);
	return 0;
}
#endif

#ifdef SYNC
static volatile uint64_t *sync_word = (volatile uint64_t *)SYNC;

/*
 * sync_word: 1 the guarded cell is ready, 3 the intruder floods, 4 the
 * guarded cell has counted its ticks, 2 the intruder is done.
 */
int test_guarded(void)
{
	unsigned int bad = 0, n;

	setup(0);
	gic_enable(5, 0x80, 0);
	gic_enable(GUARDED_SPI, 0x90, 0);
	sync_word[0] = 1;
	while (sync_word[0] != 3)
		asm volatile("wfe");
	n = ticks(); /* while the intruder floods */
	sync_word[0] = 4;
	while (sync_word[0] != 2)
		asm volatile("wfe");
	bad += !(gicd_read(GICD_ISENABLER + 4 * (GUARDED_SPI / 32)) >>
			 (GUARDED_SPI % 32) &
		 1);
	bad += gicd_read8(GICD_IPRIORITYR + GUARDED_SPI) != 0x90;
	bad += gic_route(GUARDED_SPI) != 0;
	printf("after the intruder: %u ticks during its flood, SPI %u "
	       "enabled, priority 0x%x, route %lu; %u other interrupts\n",
	       n, GUARDED_SPI, gicd_read8(GICD_IPRIORITYR + GUARDED_SPI),
	       gic_route(GUARDED_SPI), handled);
	return bad || n != TICKS || handled ? 1 : 0;
}

int test_intruder(void)
{
	unsigned int w = GUARDED_SPI / 32, bit = 1u << GUARDED_SPI % 32, i;

	setup(0);
	while (sync_word[0] != 1)
		asm volatile("wfe");
	gicd_write(GICD_ICENABLER + 4 * w, bit);
	gicd_write(GICD_ISPENDR + 4 * w, bit);
	gicd_write8(GICD_IPRIORITYR + GUARDED_SPI, 0x10);
	gic_set_route(GUARDED_SPI, 0);
	printf("the guarded SPI seen from here: enable %u, pending %u, "
	       "priority 0x%x, route 0x%lx\n",
	       gicd_read(GICD_ISENABLER + 4 * w) & bit ? 1 : 0,
	       gicd_read(GICD_ISPENDR + 4 * w) & bit ? 1 : 0,
	       gicd_read8(GICD_IPRIORITYR + GUARDED_SPI),
	       gic_route(GUARDED_SPI));
	/* SGI 5 to "vCPU 1" (the cell has one) and to Aff1 = 1. */
	gic_sgi(5, 1u << 1);
	gic_sgi_elsewhere(5);
	/* Its own SPI, as often as it can, until the ticks are counted. */
	gic_enable(INTRUDER_SPI, 0x80, 0);
	sync_word[0] = 3;
	for (i = 1; sync_word[0] != 4 && i < FLOOD_MAX; i++) {
		gic_pend(96, 1u << (INTRUDER_SPI - 96));
		wait_for(&handled, i);
	}
	printf("took %u of its own interrupts\n", handled);
	sync_word[0] = 2;
	return handled > 0 ? 0 : 1;
}
#endif

int main(uint64_t dtb, unsigned int vcpu)
{
	(void)dtb;
	if (vcpu == 1) {
		ipi_target();
		for (;;)
			;
	}
	return TEST();
}
