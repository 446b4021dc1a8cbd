// SPDX-License-Identifier: MIT
/* The interrupt controller: one interface, a driver per GIC version. */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/system.h>
#include <asm/traps.h>

static const struct gic_ops *gic;

bool gic_select(uint32_t version)
{
	gic = version == 3 ? &gicv3_ops : version == 2 ? &gicv2_ops : NULL;
	return gic;
}

void gic_init(void)
{
	gic->init();
}

void gic_cpu_init(struct percpu *cpu)
{
	gic->cpu_init(cpu);
}

void gic_ack(void)
{
	gic->ack();
}

void arch_kick(struct percpu *cpu)
{
	gic->kick(cpu);
}
