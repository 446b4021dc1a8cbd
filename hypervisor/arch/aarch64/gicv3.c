// SPDX-License-Identifier: MIT
/*
 * GICv3, only as far as the runtime needs it: one SGI that makes a CPU
 * running a cell trap to EL2 (the kick). Cells get no interrupts: the
 * runtime does not virtualize the GIC (see hypervisor/README.md).
 */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/system.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

#define GICD_CTLR 0x0
#define GICD_CTLR_GRP1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_RWP (1u << 31)
#define GICR_TYPER 0x8
#define GICR_TYPER_LAST (1ul << 4)
#define GICR_WAKER 0x14
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI_BASE 0x10000
#define GICR_IGROUPR0 0x80
#define GICR_ISENABLER0 0x100
#define GICR_IPRIORITYR 0x400
#define ICC_SRE_EL2_ALL 0xf /* SRE, DFB, DIB, EL1 may use SRE */

static volatile uint32_t *reg(uint64_t addr)
{
	return (volatile uint32_t *)addr;
}

static void gicv3_init(void)
{
	uint64_t gicd = sph_platform(sys)->gicd_base;

	*reg(gicd + GICD_CTLR) |= GICD_CTLR_ARE | GICD_CTLR_GRP1;
	while (*reg(gicd + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

/* The redistributor whose GICR_TYPER affinity is this CPU's MPIDR. */
static uint64_t find_redistributor(const struct percpu *cpu)
{
	const struct sph_platform *p = sph_platform(sys);
	uint64_t m = cpu->mpidr;
	uint64_t aff = MPIDR_AFF(m, 3) << 24 | (m & 0xffffff);
	uint64_t stride = p->gicr_stride ? p->gicr_stride : 0x20000, rd, typer;

	for (rd = p->gicr_base; rd < p->gicr_base + p->gicr_size;
	     rd += stride) {
		typer = *(volatile uint64_t *)(rd + GICR_TYPER);
		if (typer >> 32 == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	panic("no GIC redistributor for CPU %u\n", cpu->id);
}

static void gicv3_cpu_init(struct percpu *cpu)
{
	uint64_t rd = find_redistributor(cpu), sgi = rd + GICR_SGI_BASE;

	*reg(rd + GICR_WAKER) &= ~GICR_WAKER_SLEEP;
	while (*reg(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	*reg(sgi + GICR_IGROUPR0) |= 1u << SGI_KICK;
	*((volatile uint8_t *)(sgi + GICR_IPRIORITYR) + SGI_KICK) = 0x80;
	*reg(sgi + GICR_ISENABLER0) = 1u << SGI_KICK;
	write_sysreg(icc_sre_el2, ICC_SRE_EL2_ALL);
	isb();
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

static void gicv3_kick(struct percpu *cpu)
{
	uint64_t m = cpu->mpidr, sgi = (uint64_t)SGI_KICK << 24;

	/* Target list bit Aff0[3:0], range selector Aff0[7:4]. */
	sgi |= 1ul << (MPIDR_AFF(m, 0) & 0xf) | (MPIDR_AFF(m, 0) >> 4) << 44;
	sgi |= MPIDR_AFF(m, 1) << 16 | MPIDR_AFF(m, 2) << 32 |
	       MPIDR_AFF(m, 3) << 48;
	dsb(ish);
	write_sysreg(icc_sgi1r_el1, sgi);
	isb();
}

static void gicv3_ack(void)
{
	uint64_t intid = read_sysreg(icc_iar1_el1);

	if (intid < 1020)
		write_sysreg(icc_eoir1_el1, intid);
}

const struct gic_ops gicv3_ops = {
	.init = gicv3_init,
	.cpu_init = gicv3_cpu_init,
	.kick = gicv3_kick,
	.ack = gicv3_ack,
};
