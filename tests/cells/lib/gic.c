// SPDX-License-Identifier: MIT
/* A cell's side of the GICv3 or GICv2 (see gic.h). */
#include "gic.h"
#include "sph.h"

#define GICD_ISENABLER 0x100
#define GICD_ISPENDR 0x200
#define GICD_IPRIORITYR 0x400
#define GICD_IROUTER 0x6000
#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00
#define GICR_SGI 0x10000
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

static uint64_t gicd_base, gicr_base, gicr_stride;
static uint64_t gicc_base; /* GICv2: the CPU interface; 0 on GICv3 */

void irq_dispatch(void);

/* EL1 vectors: IRQ from EL1 with SP_ELx (offset 0x280) calls
 * irq_dispatch; every other exception is fatal (lib/sph.c). */
asm(".balign 0x800\n"
    "gic_vectors:\n"
    ".rept 5\n"
    ".balign 0x80\n"
    "b el1_exception\n"
    ".endr\n"
    ".balign 0x80\n"
    "b gic_irq_entry\n"
    ".rept 10\n"
    ".balign 0x80\n"
    "b el1_exception\n"
    ".endr\n"
    "gic_irq_entry:\n"
    "stp x29, x30, [sp, #-16]!\n"
    "stp x0, x1, [sp, #-16]!\n"
    "stp x2, x3, [sp, #-16]!\n"
    "stp x4, x5, [sp, #-16]!\n"
    "stp x6, x7, [sp, #-16]!\n"
    "stp x8, x9, [sp, #-16]!\n"
    "stp x10, x11, [sp, #-16]!\n"
    "stp x12, x13, [sp, #-16]!\n"
    "stp x14, x15, [sp, #-16]!\n"
    "stp x16, x17, [sp, #-16]!\n"
    "stp x18, x19, [sp, #-16]!\n"
    "bl irq_dispatch\n"
    "ldp x18, x19, [sp], #16\n"
    "ldp x16, x17, [sp], #16\n"
    "ldp x14, x15, [sp], #16\n"
    "ldp x12, x13, [sp], #16\n"
    "ldp x10, x11, [sp], #16\n"
    "ldp x8, x9, [sp], #16\n"
    "ldp x6, x7, [sp], #16\n"
    "ldp x4, x5, [sp], #16\n"
    "ldp x2, x3, [sp], #16\n"
    "ldp x0, x1, [sp], #16\n"
    "ldp x29, x30, [sp], #16\n"
    "eret\n");

void irq_dispatch(void)
{
	uint64_t iar, intid;

	if (gicc_base)
		iar = *(volatile uint32_t *)(gicc_base + GICC_IAR);
	else
		asm volatile("mrs %0, icc_iar1_el1" : "=r"(iar));
	intid = iar & (gicc_base ? 0x3ff : 0xffffff);
	if (intid >= 1020)
		return;
	irq_handler((unsigned int)intid);
	/* A GICv2 SGI is ended with its source CPU: the whole IAR. */
	if (gicc_base)
		*(volatile uint32_t *)(gicc_base + GICC_EOIR) = (uint32_t)iar;
	else
		asm volatile("msr icc_eoir1_el1, %0; isb" : : "r"(iar));
}

uint64_t counter(void)
{
	uint64_t v;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

uint64_t counter_freq(void)
{
	uint64_t v;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

uint32_t gicd_read(unsigned int o)
{
	return *(volatile uint32_t *)(gicd_base + o);
}

void gicd_write(unsigned int o, uint32_t v)
{
	*(volatile uint32_t *)(gicd_base + o) = v;
}

uint64_t gicd_read64(unsigned int o)
{
	return *(volatile uint64_t *)(gicd_base + o);
}

void gicd_write64(unsigned int o, uint64_t v)
{
	*(volatile uint64_t *)(gicd_base + o) = v;
}

uint8_t gicd_read8(unsigned int o)
{
	return *(volatile uint8_t *)(gicd_base + o);
}

void gicd_write8(unsigned int o, uint8_t v)
{
	*(volatile uint8_t *)(gicd_base + o) = v;
}

void gic_setup(uint64_t gicd, uint64_t gicr, uint64_t stride)
{
	extern char gic_vectors[];

	gicd_base = gicd;
	gicr_base = gicr;
	gicr_stride = stride;
	asm volatile("msr vbar_el1, %0; isb" : : "r"(gic_vectors));
	asm volatile("msr icc_pmr_el1, %0" : : "r"(0xfful));
	asm volatile("msr icc_bpr1_el1, %0" : : "r"(0ul));
	asm volatile("msr icc_igrpen1_el1, %0; isb" : : "r"(1ul));
	gicd_write(0, 0x12); /* ARE | EnableGrp1 */
	asm volatile("msr daifclr, #2" : : : "memory");
}

void gic_setup_v2(uint64_t gicd, uint64_t gicc)
{
	extern char gic_vectors[];
	volatile uint32_t *cpu = (volatile uint32_t *)gicc;

	gicd_base = gicd;
	gicc_base = gicc;
	asm volatile("msr vbar_el1, %0; isb" : : "r"(gic_vectors));
	cpu[GICC_PMR / 4] = 0xff;
	cpu[GICC_BPR / 4] = 0;
	cpu[GICC_CTLR / 4] = 1; /* enable (group 0, as Linux does) */
	gicd_write(0, 1);
	asm volatile("msr daifclr, #2" : : : "memory");
}

void gic_enable(unsigned int intid, uint8_t prio, unsigned int vcpu)
{
	uint64_t sgi = gicr_base + vcpu * gicr_stride + GICR_SGI;

	if (gicc_base) { /* GICv2: INTIDs 0-31 banked, for the caller */
		gicd_write8(GICD_IPRIORITYR + intid, prio);
		if (intid >= 32)
			gicd_write8(GICD_ITARGETSR + intid,
				    (uint8_t)(1u << vcpu));
		gicd_write(GICD_ISENABLER + 4 * (intid / 32), 1u << intid % 32);
		return;
	}
	if (intid < 32) {
		*(volatile uint8_t *)(sgi + GICD_IPRIORITYR + intid) = prio;
		*(volatile uint32_t *)(sgi + GICD_ISENABLER) = 1u << intid;
		return;
	}
	gicd_write8(GICD_IPRIORITYR + intid, prio);
	gicd_write64(GICD_IROUTER + 8 * intid, vcpu);
	gicd_write(GICD_ISENABLER + 4 * (intid / 32), 1u << intid % 32);
}

uint64_t gic_route(unsigned int intid)
{
	uint8_t targets;

	if (!gicc_base)
		return gicd_read64(GICD_IROUTER + 8 * intid);
	targets = gicd_read8(GICD_ITARGETSR + intid);
	return targets ? (uint64_t)__builtin_ctz(targets) : 0xff;
}

void gic_set_route(unsigned int intid, unsigned int vcpu)
{
	if (gicc_base)
		gicd_write8(GICD_ITARGETSR + intid, (uint8_t)(1u << vcpu));
	else
		gicd_write64(GICD_IROUTER + 8 * intid, vcpu);
}

void gic_pend(unsigned int first, uint32_t bits)
{
	gicd_write(GICD_ISPENDR + first / 8, bits);
}

void gic_sgi(unsigned int intid, uint16_t targets)
{
	if (gicc_base) {
		gicd_write(GICD_SGIR, (uint32_t)(targets & 0xff) << 16 | intid);
		return;
	}
	asm volatile("msr icc_sgi1r_el1, %0; isb"
		     :
		     : "r"((uint64_t)intid << 24 | targets));
}

void gic_sgi_elsewhere(unsigned int intid)
{
	uint64_t aff1 = 1ul << 16 | 1; /* Aff1 = 1: a cluster it lacks */

	if (gicc_base) /* CPU interface 7: a vCPU no test cell has */
		gicd_write(GICD_SGIR, 1u << (16 + 7) | intid);
	else
		asm volatile("msr icc_sgi1r_el1, %0; isb"
			     :
			     : "r"((uint64_t)intid << 24 | aff1));
}
