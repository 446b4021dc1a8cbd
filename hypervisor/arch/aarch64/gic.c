// SPDX-License-Identifier: MIT
/* The interrupt controller: one interface, a driver per GIC version. */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/system.h>
#include <asm/traps.h>

static const struct gic_ops *gic;

bool gic_select(const struct sph_platform *p)
{
	/* GICv2 virtualization needs the list registers and a GICV of at
	 * least the 8 KiB a cell's GICC spans. */
	bool v2 = p->gich_base && p->gicv_base && p->gicv_size >= 0x2000 &&
		  p->gicc_size >= 0x2000;

	gic = p->gic_version == 3	  ? &gicv3_ops
	      : p->gic_version == 2 && v2 ? &gicv2_ops
					  : NULL;
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

void gic_irq(struct percpu *cpu)
{
	gic->irq(cpu);
}

void arch_kick(struct percpu *cpu)
{
	gic->kick(cpu);
}

void arch_cell_irqs(struct cell *cell)
{
	if (gic->cell_init)
		gic->cell_init(cell);
}

void gic_vcpu_reset(struct percpu *cpu)
{
	if (gic->vcpu_reset)
		gic->vcpu_reset(cpu);
}

bool gic_mmio(struct percpu *cpu, struct regs *r, uint64_t esr, uint64_t ipa)
{
	return gic->mmio && gic->mmio(cpu, r, esr, ipa);
}

bool gic_sgi(struct percpu *cpu, uint64_t value)
{
	if (!gic->sgi)
		return false;
	gic->sgi(cpu, value);
	return true;
}

long arch_doorbell(struct percpu *cpu, uint32_t intid)
{
	return gic->doorbell ? gic->doorbell(cpu, intid) : -1;
}
