// SPDX-License-Identifier: MIT
/*
 * victim: the cell an attack must not reach (tests/qemu/attack.yaml).
 *
 * It keeps a secret in its own RAM and one in the shared region `view`
 * (which the attacker may only read), measures how long printing one line
 * takes while the console is quiet (CNTVCT ticks, the worst of
 * LATENCY_LINES lines), then tells the attacker to go (view[0] = GO) and
 * waits until it has started (NOTE_STARTED in the region `note`). Then it
 * waits for the attacker's next word there: NOTE_FLOODING makes
 * it measure its print latency again during the flood (and answer
 * view[0] = MEASURED), NOTE_DONE ends the wait; a stopped attacker says
 * nothing more, so the wait also ends WAIT_SECONDS of counter time after
 * the start. Then
 * it checks both secrets and exits 0 if they are intact.
 */
#include "lib/sph.h"
#include "attack.h"

#define SECRET_WORDS 64
#define LATENCY_LINES 20
#define WAIT_SECONDS 1

static volatile uint64_t secret[SECRET_WORDS];

static uint64_t pattern(unsigned int i)
{
	return 0x5ec7e70000000000ul ^ (i * 0x9e3779b97f4a7c15ul);
}

static uint64_t counter(void)
{
	uint64_t v;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t counter_freq(void)
{
	uint64_t v;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* The worst time, in counter ticks, to print one line. */
static uint64_t print_latency(const char *phase)
{
	uint64_t worst = 0, t0, t;
	unsigned int i;

	for (i = 0; i < LATENCY_LINES; i++) {
		t0 = counter();
		printf("latency probe %s %u: a line of some forty chars\n",
		       phase, i);
		t = counter() - t0;
		worst = t > worst ? t : worst;
	}
	return worst;
}

int main(uint64_t dtb, unsigned int vcpu);

int main(uint64_t dtb, unsigned int vcpu)
{
	volatile uint64_t *view = (volatile uint64_t *)VIEW;
	volatile uint64_t *note = (volatile uint64_t *)NOTE;
	uint64_t quiet, flood = 0, deadline;
	unsigned int i, bad = 0;

	(void)dtb, (void)vcpu;
	for (i = 0; i < SECRET_WORDS; i++) {
		secret[i] = pattern(i);
		view[1 + i] = ~pattern(i);
	}
	printf("secret at 0x%lx\n", (uint64_t)secret);
	quiet = print_latency("quiet");
	asm volatile("dsb sy" : : : "memory");
	view[0] = GO;
	send_event();
	while (!note[0])
		wait_event();
	deadline = counter() + WAIT_SECONDS * counter_freq();
	while (note[0] != NOTE_DONE && counter() < deadline) {
		wait_event();
		if (note[0] == NOTE_FLOODING && !flood) {
			flood = print_latency("flood");
			view[0] = MEASURED;
			send_event();
			deadline = counter() + WAIT_SECONDS * counter_freq();
		}
	}
	printf("console latency: quiet %lu ticks, during the flood %lu "
	       "ticks\n",
	       quiet, flood);
	for (i = 0; i < SECRET_WORDS; i++)
		bad += secret[i] != pattern(i) || view[1 + i] != ~pattern(i);
	if (bad) {
		printf("secret damaged: %u words\n", bad);
		return 1;
	}
	printf("secret intact\n");
	return 0;
}
