// SPDX-License-Identifier: MIT
/*
 * GICv3: the physical interrupt controller at EL2 (system-register CPU
 * interface, EOImode = 1), the list registers as ICH_* system registers,
 * and what only GICv3 has for cells: the redistributor frames, affinity
 * routing of SPIs (GICD_IROUTER) and SGIs through ICC_SGI1R_EL1. The
 * virtualization itself is shared with GICv2 (vgic.c).
 */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/system.h>
#include <asm/sysregs.h>
#include <asm/vgic.h>

#define GICD_CTLR_GRP1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define GICD_CTLR_RWP (1u << 31)
#define GICD_IROUTER 0x6000
#define GIC_PIDR2 0xffe8
#define GIC_PIDR2_V3 0x3b
#define GICR_IIDR 0x4
#define GICR_TYPER 0x8
#define GICR_TYPER_LAST (1ul << 4)
#define GICR_WAKER 0x14
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI_BASE 0x10000
#define ICC_SRE_EL2_ALL 0xf /* SRE, DFB, DIB, EL1 may use SRE */
#define ICC_CTLR_EOIMODE (1ul << 1)

static uint64_t gicd_base;
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

#define LR_CASE(n)                                                             \
	case n:                                                                \
		if (write)                                                     \
			write_sysreg(ich_lr##n##_el2, v);                      \
		else                                                           \
			v = read_sysreg(ich_lr##n##_el2);                      \
		break

static uint64_t lr_access(unsigned int n, bool write, uint64_t v)
{
	switch (n) {
		LR_CASE(0);
		LR_CASE(1);
		LR_CASE(2);
		LR_CASE(3);
		LR_CASE(4);
		LR_CASE(5);
		LR_CASE(6);
		LR_CASE(7);
		LR_CASE(8);
		LR_CASE(9);
		LR_CASE(10);
		LR_CASE(11);
		LR_CASE(12);
		LR_CASE(13);
		LR_CASE(14);
		LR_CASE(15);
	}
	return v;
}

static uint64_t lr_read(unsigned int n)
{
	return lr_access(n, false, 0);
}

static void lr_write(unsigned int n, uint64_t v)
{
	lr_access(n, true, v);
}

static uint64_t elrsr(void)
{
	return read_sysreg(ich_elrsr_el2);
}

static void hcr_write(uint32_t hcr)
{
	write_sysreg(ich_hcr_el2, (uint64_t)hcr);
	isb();
}

static void priority_drop(uint32_t intid)
{
	write_sysreg(icc_eoir1_el1, (uint64_t)intid);
}

static void deactivate(uint32_t intid)
{
	write_sysreg(icc_dir_el1, (uint64_t)intid);
}

static void cpu_reset(void)
{
	write_sysreg(ich_ap1r0_el2, 0ul);
	write_sysreg(ich_ap0r0_el2, 0ul);
	write_sysreg(ich_vmcr_el2, 0ul);
}

static uint64_t affinity_of(const struct percpu *cpu)
{
	return cpu->mpidr & MPIDR_AFF_MASK;
}

static void spi_route(uint32_t intid, const struct percpu *target)
{
	*(volatile uint64_t *)(gicd_base + GICD_IROUTER + 8 * intid) =
		affinity_of(target);
}

static struct vgic_hw gicv3_hw = {
	.lr_read = lr_read,
	.lr_write = lr_write,
	.elrsr = elrsr,
	.hcr_write = hcr_write,
	.priority_drop = priority_drop,
	.deactivate = deactivate,
	.cpu_reset = cpu_reset,
	.spi_route = spi_route,
	.group1 = true,
	.hw_bit = true,
};

/* --- physical set-up -------------------------------------------------- */

static void gicv3_init(void)
{
	const struct sph_platform *p = sph_platform(sys);
	uint32_t n;

	gicd_base = p->gicd_base;
	maintenance_irq = p->maintenance_irq ? p->maintenance_irq : 25;
	/* Every SPI in group 1 (IRQ), disabled until its cell enables it. */
	for (n = 1; n <= p->spis / 32 && n < VGIC_MAX_INTID / 32; n++) {
		*reg(gicd_base + GICD_IGROUPR + 4 * n) = ~0u;
		*reg(gicd_base + GICD_ICENABLER + 4 * n) = ~0u;
	}
	*reg(gicd_base + GICD_CTLR) |= GICD_CTLR_ARE | GICD_CTLR_GRP1;
	while (*reg(gicd_base + GICD_CTLR) & GICD_CTLR_RWP)
		;
	vgic_init(&gicv3_hw, gicd_base);
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

	cpu->arch.rd_base = rd;
	*reg(rd + GICR_WAKER) &= ~GICR_WAKER_SLEEP;
	while (*reg(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	*reg(sgi + GICD_IGROUPR) = ~0u;
	*reg(sgi + GICD_ICENABLER) = ~0u;
	*reg8(sgi + GICD_IPRIORITYR + SGI_KICK) = 0x80;
	*reg8(sgi + GICD_IPRIORITYR + maintenance_irq) = 0x80;
	*reg(sgi + GICD_ISENABLER) = 1u << SGI_KICK | 1u << maintenance_irq;
	write_sysreg(icc_sre_el2, ICC_SRE_EL2_ALL);
	isb();
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_ctlr_el1, ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	gicv3_hw.num_lrs = (unsigned int)(read_sysreg(ich_vtr_el2) & 0x1f) + 1;
	isb();
}

/* --- physical interrupts at EL2 --------------------------------------- */

static void gicv3_irq(struct percpu *cpu)
{
	uint32_t intid = (uint32_t)read_sysreg(icc_iar1_el1);
	struct cell *cell = cpu->cell;

	if (intid >= VGIC_SPURIOUS)
		return;
	if (intid != SGI_KICK && intid != maintenance_irq) {
		vgic_physical(cpu, intid);
		return;
	}
	if (intid == maintenance_irq)
		write_sysreg(ich_hcr_el2, (uint64_t)VGIC_HCR_EN);
	priority_drop(intid);
	isb();
	deactivate(intid);
	if (cell && cell->state == CELL_RUNNING) {
		vgic_refill(cpu);
		cpu->bench_kind =
			intid == SGI_KICK ? BENCH_SGI_RECEIVE : BENCH_NONE;
	}
}

/* --- SGIs from a cell (ICC_SGI1R_EL1) ---------------------------------- */

static void gicv3_sgi(struct percpu *cpu, uint64_t v)
{
	struct cell *cell = cpu->cell;
	uint32_t intid = (uint32_t)(v >> 24 & 0xf);
	uint64_t targets = v & 0xffff, rs = v >> 44 & 0xf;
	bool outside = v >> 16 & 0xff || v >> 32 & 0xff || v >> 48 & 0xff;
	unsigned int i, n;

	cpu->bench_kind = BENCH_SGI_SEND;
	if (v >> 40 & 1) { /* IRM: every vCPU of the cell but the sender */
		for (i = 0; i < cell->num_vcpus; i++)
			if (cell->vcpu[i] != cpu)
				vgic_sgi(cpu, cell->vcpu[i], intid);
		return;
	}
	for (; targets && !outside; targets &= targets - 1) {
		n = (unsigned int)(rs * 16 + (uint64_t)__builtin_ctzl(targets));
		if (n >= cell->num_vcpus) {
			outside = true;
			break;
		}
		vgic_sgi(cpu, cell->vcpu[n], intid);
	}
	if (outside)
		vgic_note_sgi_outside(cell, "ICC_SGI1R_EL1", v);
}

/* --- the emulated distributor and redistributors ----------------------- */

static void dist_router(struct cell *cell, struct vgic_mmio *m)
{
	uint32_t n = (uint32_t)((m->offset - GICD_IROUTER) / 8);
	unsigned int vcpu;

	if (!vgic_owns_spi(cell, n) && !vgic_is_doorbell(cell, n)) {
		m->value = 0;
		return;
	}
	if (!m->write) {
		m->value = m->offset % 8 ? 0 : cell->arch.route[n];
		return;
	}
	if (m->offset % 8)
		return; /* the upper half holds only Aff3 */
	/* IRM (1-of-N) would let the GIC pick any CPU: use vCPU 0. */
	vcpu = m->value >> 31 & 1 || (m->value & 0xff) >= cell->num_vcpus
		       ? 0
		       : (unsigned int)(m->value & 0xff);
	cell->arch.route[n] = (uint8_t)vcpu;
	if (vgic_owns_spi(cell, n))
		spi_route(n, cell->vcpu[vcpu]);
}

static void distributor(struct cell *cell, struct vgic_mmio *m)
{
	const struct sph_platform *p = sph_platform(sys);
	uint64_t o = m->offset;

	if (o == GICD_CTLR) {
		if (m->write)
			cell->arch.gicd_ctlr = (uint32_t)m->value & 3;
		m->value = cell->arch.gicd_ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
	} else if (o == GICD_TYPER) {
		/* ITLinesNumber, IDbits 9 (10-bit INTIDs), no LPIs. */
		m->value = ((p->spis + 32 + 31) / 32 - 1) | 9u << 19;
	} else if (o == GICD_IIDR) {
		m->value = GIC_IIDR_ARM;
	} else if (o == GIC_PIDR2) {
		m->value = GIC_PIDR2_V3;
	} else if (vgic_dist_is_bank(o)) {
		m->value = 0; /* SGIs and PPIs live in the redistributors */
	} else if (vgic_dist_common(cell, m)) {
		return;
	} else if (o >= GICD_IROUTER + 8 * 32 &&
		   o < GICD_IROUTER + 8 * VGIC_MAX_INTID) {
		dist_router(cell, m);
	} else {
		m->value = 0;
	}
}

static void redistributor(struct cell *cell, struct vgic_mmio *m,
			  uint64_t frame)
{
	struct percpu *cpu = cell->vcpu[frame];
	uint64_t o = m->offset;

	if (o >= GICR_SGI_BASE) {
		m->offset -= GICR_SGI_BASE;
		vgic_bank(cpu, m, cpu->arch.rd_base + GICR_SGI_BASE);
		return;
	}
	if (o == GICR_TYPER || o == GICR_TYPER + 4) {
		uint64_t typer =
			frame << 32 | frame << 8 |
			(frame + 1 == cell->num_vcpus ? GICR_TYPER_LAST : 0);

		m->value = o == GICR_TYPER ? typer : typer >> 32;
		if (m->size == 4 && o == GICR_TYPER)
			m->value = (uint32_t)typer;
	} else if (o == GICR_WAKER) {
		if (m->write)
			cpu->arch.vgic.waker =
				(uint32_t)m->value & GICR_WAKER_SLEEP;
		m->value = cpu->arch.vgic.waker |
			   (cpu->arch.vgic.waker << 1 & GICR_WAKER_ASLEEP);
	} else if (o == GICR_IIDR) {
		m->value = GIC_IIDR_ARM;
	} else if (o == GIC_PIDR2) {
		m->value = GIC_PIDR2_V3;
	} else {
		m->value = 0; /* CTLR (no LPIs, no RWP), PROPBASER, ... */
	}
}

static bool gicv3_mmio(struct percpu *cpu, struct regs *r, uint64_t esr,
		       uint64_t ipa)
{
	const struct sph_platform *p = sph_platform(sys);
	struct cell *cell = cpu->cell;
	uint64_t stride = p->gicr_stride ? p->gicr_stride : 0x20000, frame;
	struct vgic_mmio m;

	if (!vgic_mmio_trap(r, esr, ipa, &m))
		return false;
	if (ipa >= p->gicd_base && ipa < p->gicd_base + 0x10000) {
		m.offset = ipa - p->gicd_base;
		spin_lock(&cell->arch.lock);
		distributor(cell, &m);
		spin_unlock(&cell->arch.lock);
	} else if (ipa >= p->gicr_base &&
		   ipa < p->gicr_base + cell->num_vcpus * stride) {
		frame = (ipa - p->gicr_base) / stride;
		m.offset = ipa - p->gicr_base - frame * stride;
		spin_lock(&cell->arch.lock);
		redistributor(cell, &m, frame);
		spin_unlock(&cell->arch.lock);
	} else {
		return false;
	}
	vgic_mmio_done(r, esr, &m);
	return true;
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

const struct gic_ops gicv3_ops = {
	.init = gicv3_init,
	.cpu_init = gicv3_cpu_init,
	.kick = gicv3_kick,
	.irq = gicv3_irq,
	.cell_init = vgic_cell_init,
	.vcpu_reset = vgic_vcpu_reset,
	.mmio = gicv3_mmio,
	.sgi = gicv3_sgi,
	.doorbell = vgic_doorbell,
};
