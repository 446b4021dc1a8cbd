// SPDX-License-Identifier: MIT
/*
 * GICv2 (GIC-400: zcu104, rpi4; QEMU virt with gic-version=2 and the
 * xlnx-zcu102 model), only as far as the runtime needs it: one SGI that
 * makes a CPU running a cell trap to EL2 (the kick). Interrupts stay in
 * group 0, signalled as IRQ; GICC_EOIR both drops priority and
 * deactivates. Cells get no interrupts on a GICv2 yet: its distributor
 * is not emulated, so touching it stops the cell (hypervisor/README.md).
 */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/system.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

#define GICD_CTLR 0x000
#define GICD_CTLR_ENABLE 1u
#define GICD_ISENABLER0 0x100
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00
#define GICD_SGIR_TARGETS(mask) ((uint32_t)(mask) << 16)
#define GICC_CTLR 0x00
#define GICC_CTLR_ENABLE 1u
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICC_IAR_ID(iar) ((iar)&0x3ff)

static volatile uint32_t *gicd(unsigned int offset)
{
	return (volatile uint32_t *)(sph_platform(sys)->gicd_base + offset);
}

static volatile uint32_t *gicc(unsigned int offset)
{
	return (volatile uint32_t *)(sph_platform(sys)->gicc_base + offset);
}

static void gicv2_init(void)
{
	*gicd(GICD_CTLR) = GICD_CTLR_ENABLE;
}

static void gicv2_cpu_init(struct percpu *cpu)
{
	/* ITARGETSR0..7 are banked: each CPU reads its own interface bit. */
	cpu->arch.gic_target = *(volatile uint8_t *)gicd(GICD_ITARGETSR);
	*((volatile uint8_t *)gicd(GICD_IPRIORITYR) + SGI_KICK) = 0x80;
	*gicd(GICD_ISENABLER0) = 1u << SGI_KICK;
	*gicc(GICC_PMR) = 0xff;
	*gicc(GICC_CTLR) = GICC_CTLR_ENABLE;
}

static void gicv2_kick(struct percpu *cpu)
{
	dsb(ish);
	*gicd(GICD_SGIR) = GICD_SGIR_TARGETS(cpu->arch.gic_target) | SGI_KICK;
}

/* No virtualization yet: only the kick comes here. */
static void gicv2_irq(struct percpu *cpu)
{
	uint32_t iar = *gicc(GICC_IAR);

	(void)cpu;
	if (GICC_IAR_ID(iar) < 1020)
		*gicc(GICC_EOIR) = iar;
}

const struct gic_ops gicv2_ops = {
	.init = gicv2_init,
	.cpu_init = gicv2_cpu_init,
	.kick = gicv2_kick,
	.irq = gicv2_irq,
};
