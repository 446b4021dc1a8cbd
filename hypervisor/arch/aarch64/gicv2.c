// SPDX-License-Identifier: MIT
/*
 * GICv2 with the virtualization extensions (GIC-400: zcu104, rpi4; QEMU
 * virt with gic-version=2 and the xlnx-zcu102 model). At EL2 the
 * physical CPU interface (GICC) runs with EOImode = 1, every interrupt in
 * group 0 signalled as IRQ. Cells get the shared virtualization of
 * vgic.c through the list registers of the hypervisor interface (GICH,
 * memory-mapped, converted to and from the GICv3 layout vgic.c speaks);
 * the virtual CPU interface (GICV) is mapped at the cell's GICC address,
 * so acknowledging and ending an interrupt never traps. The distributor
 * traps and is emulated: what vgic.c shares, plus the SGI/PPI bank of the
 * accessing vCPU (GICv2 banks INTIDs 0-31 in the distributor), the SPI
 * targets (GICD_ITARGETSR, a bit per vCPU) and SGIs (GICD_SGIR). Virtual
 * interrupts are group 0, the group Linux's GICv2 driver enables.
 */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/system.h>
#include <asm/sysregs.h>
#include <asm/vgic.h>

#define GICD_CTLR_ENABLE 3u /* both groups; the non-secure view: bit 0 */
#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00
#define GICD_SGIR_TARGETS(mask) ((uint32_t)(mask) << 16)
#define GICD_ICPIDR2 0xfe8
#define GIC_PIDR2_V2 0x2b
#define GICD_FRAME 0x1000 /* registers in the first 4 KiB, RAZ/WI above */
#define GICC_CTLR 0x00
/* Both groups and AckCtl (without the security extensions a group 1
 * interrupt is acknowledged only with AckCtl); the non-secure view of
 * the register takes bit 0 as its enable and ignores bits 1-4. */
#define GICC_CTLR_ENABLE 0x7u
#define GICC_CTLR_EOIMODE (1u << 9)
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICC_DIR 0x1000
#define GICC_IAR_ID(iar) ((iar)&0x3ff)
#define GICH_HCR 0x000
#define GICH_VTR 0x004
#define GICH_VMCR 0x008
#define GICH_ELRSR0 0x030
#define GICH_ELRSR1 0x034
#define GICH_APR 0x0f0
#define GICH_LR 0x100
#define GICV_FRAME 0x2000 /* GICV_DIR is in the second 4 KiB page */

/* GICH_LR<n> fields */
#define LR2_HW (1u << 31)
#define LR2_GROUP1 (1u << 30)
#define LR2_ACTIVE (1u << 29)
#define LR2_PENDING (1u << 28)
#define LR2_PRIO_SHIFT 23 /* the top 5 bits of the priority */
#define LR2_ID_MASK 0x3ffu
#define LR2_PID_SHIFT 10   /* physical INTID (HW), or an SGI's source */
#define LR2_EOI (1u << 19) /* HW = 0: maintenance interrupt at the EOI */

static uint64_t gicd_base, gicc_base, gich_base;
static unsigned int maintenance_irq;

static volatile uint32_t *reg(uint64_t addr)
{
	return (volatile uint32_t *)addr;
}

static volatile uint8_t *reg8(uint64_t addr)
{
	return (volatile uint8_t *)addr;
}

/* --- the hardware under the shared virtual GIC ------------------------- */

static uint64_t lr_from_v2(uint32_t v)
{
	uint64_t lr = v & LR2_ID_MASK;

	lr |= (uint64_t)(v >> LR2_PID_SHIFT & LR2_ID_MASK) << 32;
	lr |= (uint64_t)((v >> LR2_PRIO_SHIFT & 0x1f) << 3) << 48;
	if (v & LR2_HW)
		lr |= LR_HW;
	else
		lr &= ~(0x1f8ul << 32); /* the EOI bit and source CPU stay */
	if (v & LR2_PENDING)
		lr |= LR_PENDING;
	if (v & LR2_ACTIVE)
		lr |= LR_ACTIVE;
	if (v & LR2_GROUP1)
		lr |= LR_GROUP1;
	return lr;
}

static uint32_t lr_to_v2(uint64_t lr)
{
	uint32_t v = LR_INTID(lr) & LR2_ID_MASK;

	if (lr & LR_HW)
		v |= LR2_HW | (LR_PINTID(lr) & LR2_ID_MASK) << LR2_PID_SHIFT;
	else
		v |= LR_SOURCE(lr) << LR2_PID_SHIFT |
		     (lr & LR_EOI ? LR2_EOI : 0);
	v |= (uint32_t)(LR_PRIO(lr) >> 3) << LR2_PRIO_SHIFT;
	if (lr & LR_PENDING)
		v |= LR2_PENDING;
	if (lr & LR_ACTIVE)
		v |= LR2_ACTIVE;
	if (lr & LR_GROUP1)
		v |= LR2_GROUP1;
	return v;
}

static uint64_t lr_read(unsigned int n)
{
	return lr_from_v2(*reg(gich_base + GICH_LR + 4 * n));
}

static void lr_write(unsigned int n, uint64_t lr)
{
	*reg(gich_base + GICH_LR + 4 * n) = lr_to_v2(lr);
}

static uint64_t elrsr(void)
{
	return *reg(gich_base + GICH_ELRSR0) |
	       (uint64_t)*reg(gich_base + GICH_ELRSR1) << 32;
}

static void hcr_write(uint32_t hcr)
{
	*reg(gich_base + GICH_HCR) = hcr;
	dsb(sy);
}

static void priority_drop(uint32_t iar)
{
	*reg(gicc_base + GICC_EOIR) = iar;
}

static void deactivate(uint32_t iar)
{
	*reg(gicc_base + GICC_DIR) = iar;
}

static void cpu_reset(void)
{
	*reg(gich_base + GICH_APR) = 0;
	*reg(gich_base + GICH_VMCR) = 0;
}

static void spi_route(uint32_t intid, const struct percpu *target)
{
	*reg8(gicd_base + GICD_ITARGETSR + intid) = target->arch.gic_target;
}

static struct vgic_hw gicv2_hw = {
	.lr_read = lr_read,
	.lr_write = lr_write,
	.elrsr = elrsr,
	.hcr_write = hcr_write,
	.priority_drop = priority_drop,
	.deactivate = deactivate,
	.cpu_reset = cpu_reset,
	.spi_route = spi_route,
	.group1 = false,
	.hw_bit = false, /* see the top of this file */
};

/* --- physical set-up -------------------------------------------------- */

static void gicv2_init(void)
{
	const struct sph_platform *p = sph_platform(sys);
	uint32_t n;

	gicd_base = p->gicd_base;
	gicc_base = p->gicc_base;
	gich_base = p->gich_base;
	maintenance_irq = p->maintenance_irq ? p->maintenance_irq : 25;
	/* Every SPI disabled until its cell enables it; all in group 1. */
	for (n = 1; n <= p->spis / 32 && n < VGIC_MAX_INTID / 32; n++) {
		*reg(gicd_base + GICD_ICENABLER + 4 * n) = ~0u;
		*reg(gicd_base + GICD_IGROUPR + 4 * n) = ~0u;
	}
	*reg(gicd_base + GICD_CTLR) = GICD_CTLR_ENABLE;
	vgic_init(&gicv2_hw, gicd_base);
}

static void gicv2_cpu_init(struct percpu *cpu)
{
	/* ITARGETSR0..7 are banked: each CPU reads its own interface bit. */
	cpu->arch.gic_target = *reg8(gicd_base + GICD_ITARGETSR);
	*reg(gicd_base + GICD_ICENABLER) = ~0u;
	*reg(gicd_base + GICD_IGROUPR) = ~0u;
	*reg8(gicd_base + GICD_IPRIORITYR + SGI_KICK) = 0x80;
	*reg8(gicd_base + GICD_IPRIORITYR + maintenance_irq) = 0x80;
	*reg(gicd_base + GICD_ISENABLER) =
		1u << SGI_KICK | 1u << maintenance_irq;
	*reg(gicc_base + GICC_PMR) = 0xff;
	*reg(gicc_base + GICC_CTLR) = GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE;
	gicv2_hw.num_lrs = (*reg(gich_base + GICH_VTR) & 0x3f) + 1;
}

static void gicv2_kick(struct percpu *cpu)
{
	dsb(ish);
	*reg(gicd_base + GICD_SGIR) =
		GICD_SGIR_TARGETS(cpu->arch.gic_target) | SGI_KICK;
}

/* --- physical interrupts at EL2 --------------------------------------- */

static void gicv2_irq(struct percpu *cpu)
{
	uint32_t iar = *reg(gicc_base + GICC_IAR), intid = GICC_IAR_ID(iar);
	struct cell *cell = cpu->cell;

	if (intid >= VGIC_SPURIOUS)
		return;
	if (intid != SGI_KICK && intid != maintenance_irq) {
		vgic_physical(cpu, intid);
		return;
	}
	if (intid == maintenance_irq) {
		hcr_write(VGIC_HCR_EN);
		vgic_maintenance();
	}
	priority_drop(iar); /* an SGI's IAR carries its source: keep it */
	deactivate(iar);
	if (cell && cell->state == CELL_RUNNING) {
		vgic_refill(cpu);
		cpu->bench_kind =
			intid == SGI_KICK ? BENCH_SGI_RECEIVE : BENCH_IRQ_EOI;
	}
}

/* --- the cell's view: GICV at its GICC, the distributor emulated -------- */

static void gicv2_cell_init(struct cell *cell)
{
	const struct sph_platform *p = sph_platform(sys);

	vgic_cell_init(cell);
	arch_map(cell, p->gicc_base, p->gicv_base, GICV_FRAME,
		 SPH_REGION_IO | SPH_REGION_READ | SPH_REGION_WRITE);
}

/* GICD_ITARGETSR: a bit per vCPU; SPIs go to the lowest vCPU named. */
static void dist_targets(struct percpu *cpu, struct vgic_mmio *m)
{
	struct cell *cell = cpu->cell;
	uint32_t first = (uint32_t)(m->offset - GICD_ITARGETSR), n;
	unsigned int i, vcpu;
	uint8_t bits;

	if (!m->write)
		m->value = 0;
	for (i = 0; i < m->size; i++) {
		n = first + i;
		if (n < 32) { /* read-only: the accessing vCPU */
			if (!m->write)
				m->value |= (uint64_t)(1u << cpu->vcpu)
					    << 8 * i;
			continue;
		}
		if (!vgic_owns_spi(cell, n) && !vgic_is_doorbell(cell, n))
			continue;
		if (!m->write) {
			m->value |= (uint64_t)(1u << cell->arch.route[n])
				    << 8 * i;
			continue;
		}
		bits = (uint8_t)(m->value >> 8 * i) &
		       (uint8_t)((1u << cell->num_vcpus) - 1);
		if (!bits)
			continue; /* no vCPU of the cell: keep the target */
		vcpu = (unsigned int)__builtin_ctz(bits);
		cell->arch.route[n] = (uint8_t)vcpu;
		if (vgic_owns_spi(cell, n))
			spi_route(n, cell->vcpu[vcpu]);
	}
}

/* GICD_SGIR: SGIs to vCPUs of the cell, by list, to others, or to self. */
static void dist_sgi(struct percpu *cpu, uint64_t v)
{
	struct cell *cell = cpu->cell;
	uint32_t intid = (uint32_t)(v & 0xf), filter = (uint32_t)(v >> 24 & 3);
	uint32_t targets = (uint32_t)(v >> 16 & 0xff);
	unsigned int i;

	cpu->bench_kind = BENCH_SGI_SEND;
	if (filter == 3)
		return; /* reserved */
	if (filter == 2)
		targets = 1u << cpu->vcpu;
	else if (filter == 1)
		targets = ((1u << cell->num_vcpus) - 1) & ~(1u << cpu->vcpu);
	for (i = 0; i < cell->num_vcpus; i++)
		if (targets >> i & 1)
			vgic_sgi(cpu, cell->vcpu[i], intid);
	if (targets >> cell->num_vcpus)
		vgic_note_sgi_outside(cell, "GICD_SGIR", v);
}

static void distributor(struct percpu *cpu, struct vgic_mmio *m)
{
	struct cell *cell = cpu->cell;
	const struct sph_platform *p = sph_platform(sys);
	uint64_t o = m->offset;

	if (o == GICD_CTLR) {
		if (m->write)
			cell->arch.gicd_ctlr = (uint32_t)m->value & 1;
		m->value = cell->arch.gicd_ctlr;
	} else if (o == GICD_TYPER) {
		/* ITLinesNumber, CPUNumber = vCPUs - 1, no security. */
		m->value = ((p->spis + 32 + 31) / 32 - 1) |
			   (cell->num_vcpus - 1) << 5;
	} else if (o == GICD_IIDR) {
		m->value = GIC_IIDR_ARM;
	} else if (o == GICD_ICPIDR2) {
		m->value = GIC_PIDR2_V2;
	} else if (vgic_dist_is_bank(o)) {
		vgic_bank(cpu, m, gicd_base); /* banked: this CPU's own */
	} else if (vgic_dist_common(cell, m)) {
		return;
	} else if (o >= GICD_ITARGETSR && o < GICD_ITARGETSR + 1020) {
		dist_targets(cpu, m);
	} else if (o == GICD_SGIR && m->write && m->size == 4) {
		dist_sgi(cpu, m->value);
	} else {
		m->value = 0; /* CPENDSGIR/SPENDSGIR and the rest: RAZ/WI */
	}
}

static bool gicv2_mmio(struct percpu *cpu, struct regs *r, uint64_t esr,
		       uint64_t ipa)
{
	const struct sph_platform *p = sph_platform(sys);
	struct cell *cell = cpu->cell;
	struct vgic_mmio m;

	if (ipa < p->gicd_base || ipa >= p->gicd_base + p->gicd_size ||
	    !vgic_mmio_trap(r, esr, ipa, &m))
		return false;
	m.offset = ipa - p->gicd_base;
	if (m.offset < GICD_FRAME) {
		spin_lock(&cell->arch.lock);
		distributor(cpu, &m);
		spin_unlock(&cell->arch.lock);
	} else {
		m.value = 0;
	}
	vgic_mmio_done(r, esr, &m);
	return true;
}

const struct gic_ops gicv2_ops = {
	.init = gicv2_init,
	.cpu_init = gicv2_cpu_init,
	.kick = gicv2_kick,
	.irq = gicv2_irq,
	.cell_init = gicv2_cell_init,
	.vcpu_reset = vgic_vcpu_reset,
	.mmio = gicv2_mmio,
	.doorbell = vgic_doorbell,
};
