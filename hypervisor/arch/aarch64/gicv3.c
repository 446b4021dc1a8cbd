// SPDX-License-Identifier: MIT
/*
 * GICv3 and its virtualization: physical interrupts of a cell (its
 * devices' SPIs, its timer PPIs 27 and 30) are taken at EL2, dropped in
 * priority (EOImode = 1) and injected into the cell's vCPU through a list
 * register with the hardware bit, so the cell's EOI deactivates the
 * physical interrupt without another trap. Virtual interrupts (SGIs
 * between vCPUs, doorbells) go in with HW = 0. What does not fit in the
 * list registers waits in a per-vCPU set ordered by priority; the list
 * registers always hold the best ones (a pending one of lower priority is
 * swapped out) and are refilled on the maintenance interrupt (NPIE, or UIE
 * when every list register is active).
 *
 * The distributor and the redistributors are not mapped into cells: their
 * accesses trap (stage-2 data aborts) and are emulated here. A cell's own
 * SPIs are applied to the physical distributor (routing translated from
 * its vCPUs to their CPUs), its doorbells and SGIs are virtual state, its
 * timer PPIs go to the physical redistributor of the vCPU's CPU; anything
 * else reads as zero and ignores writes. See the threat model in
 * hypervisor/README.md.
 */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/mem.h>
#include <hyp/system.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

#define GICD_CTLR 0x0
#define GICD_CTLR_GRP1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define GICD_CTLR_RWP (1u << 31)
#define GICD_TYPER 0x4
#define GICD_IIDR 0x8
#define GICD_IGROUPR 0x80
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ICFGR 0xc00
#define GICD_IROUTER 0x6000
#define GIC_PIDR2 0xffe8
#define GIC_IIDR_ARM 0x43b
#define GIC_PIDR2_V3 0x3b
#define GICR_CTLR 0x0
#define GICR_IIDR 0x4
#define GICR_TYPER 0x8
#define GICR_TYPER_LAST (1ul << 4)
#define GICR_WAKER 0x14
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI_BASE 0x10000
#define ICC_SRE_EL2_ALL 0xf /* SRE, DFB, DIB, EL1 may use SRE */
#define ICC_CTLR_EOIMODE (1ul << 1)

#define ICH_HCR_EN (1ul << 0)
#define ICH_HCR_UIE (1ul << 1)
#define ICH_HCR_NPIE (1ul << 3)
#define LR_PENDING (1ul << 62)
#define LR_ACTIVE (1ul << 63)
#define LR_HW (1ul << 61)
#define LR_GROUP1 (1ul << 60)
#define LR_PRIO(lr) ((uint8_t)((lr) >> 48))
#define LR_INTID(lr) ((uint32_t)(lr))

#define PPI_VTIMER 27
#define PPI_PTIMER 30
#define OWN_PPIS (1u << PPI_VTIMER | 1u << PPI_PTIMER)
#define SPURIOUS 1020

static uint64_t gicd_base, lr_mask;
static unsigned int num_lrs, maintenance_irq;

static volatile uint32_t *reg(uint64_t addr)
{
	return (volatile uint32_t *)addr;
}

static volatile uint8_t *reg8(uint64_t addr)
{
	return (volatile uint8_t *)addr;
}

/* --- list registers ----------------------------------------------------- */

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

static uint64_t lr_of(const struct virq *q)
{
	return LR_PENDING | LR_GROUP1 | (uint64_t)q->prio << 48 |
	       (q->hw ? LR_HW | (uint64_t)q->intid << 32 : 0) | q->intid;
}

/* --- the pending set of a vCPU, best priority first --------------------- */

/*
 * Insert @q after the interrupts of its priority (@first: before them,
 * for one that was already in a list register); false if the set is
 * full. A virtual interrupt already in the set is pending once. Under
 * v->lock.
 */
static bool pending_add(struct vgic_cpu *v, struct virq q, bool first)
{
	unsigned int i;

	for (i = 0; !q.hw && i < v->npending; i++)
		if (v->pending[i].intid == q.intid && !v->pending[i].hw)
			return true;
	if (v->npending == VGIC_PENDING_MAX)
		return false;
	for (i = v->npending;
	     i && (v->pending[i - 1].prio > q.prio ||
		   (first && v->pending[i - 1].prio == q.prio));
	     i--)
		v->pending[i] = v->pending[i - 1];
	v->pending[i] = q;
	v->npending++;
	return true;
}

static struct virq pending_take(struct vgic_cpu *v)
{
	struct virq q = v->pending[0];
	unsigned int i;

	for (i = 1; i < v->npending; i++)
		v->pending[i - 1] = v->pending[i];
	v->npending--;
	return q;
}

/* A list register whose pending interrupt ranks below @prio, or -1. */
static int lr_to_evict(uint8_t prio)
{
	unsigned int i;
	int worst = -1;
	uint8_t worst_prio = prio;
	uint64_t lr;

	for (i = 0; i < num_lrs; i++) {
		lr = lr_read(i);
		if ((lr & (LR_PENDING | LR_ACTIVE)) == LR_PENDING &&
		    LR_PRIO(lr) > worst_prio) {
			worst = (int)i;
			worst_prio = LR_PRIO(lr);
		}
	}
	return worst;
}

/*
 * A virtual interrupt already in one of the list registers @used: pending
 * there (active and pending if it was active), so no second list register
 * holds its INTID (UNPREDICTABLE). False if none holds it.
 */
static bool lr_merge(uint32_t intid, uint64_t used)
{
	unsigned int i;
	uint64_t lr;

	for (; used; used &= used - 1) {
		i = (unsigned int)__builtin_ctzl(used);
		lr = lr_read(i);
		if (LR_INTID(lr) != intid || !(lr & (LR_PENDING | LR_ACTIVE)))
			continue;
		if (!(lr & LR_PENDING))
			lr_write(i, lr | LR_PENDING);
		return true;
	}
	return false;
}

/*
 * Move the best pending interrupts of this CPU's vCPU into its list
 * registers and arm the maintenance interrupt for what is left. On the
 * vCPU's own CPU, at EL2.
 */
static void refill(struct percpu *cpu)
{
	struct vgic_cpu *v = &cpu->arch.vgic;
	uint64_t free, hcr = ICH_HCR_EN, lr;
	unsigned int n, i;
	bool any_pending = false;
	int evict;

	spin_lock(&v->lock);
	free = read_sysreg(ich_elrsr_el2) & ((1ul << num_lrs) - 1);
	while (v->npending) {
		if (!v->pending[0].hw &&
		    lr_merge(v->pending[0].intid, lr_mask & ~free)) {
			pending_take(v);
			continue;
		}
		if (free) {
			n = (unsigned int)__builtin_ctzl(free);
			free &= free - 1;
		} else {
			evict = lr_to_evict(v->pending[0].prio);
			if (evict < 0)
				break;
			n = (unsigned int)evict;
			lr = lr_read(n);
			struct virq back = { (uint16_t)LR_INTID(lr),
					     LR_PRIO(lr), !!(lr & LR_HW) };
			struct virq best = pending_take(v);

			pending_add(v, back, true);
			lr_write(n, lr_of(&best));
			continue;
		}
		struct virq best = pending_take(v);

		lr_write(n, lr_of(&best));
	}
	if (v->npending) {
		for (i = 0; i < num_lrs; i++)
			any_pending |= !!(lr_read(i) & LR_PENDING);
		hcr |= any_pending ? ICH_HCR_NPIE : ICH_HCR_UIE;
	}
	spin_unlock(&v->lock);
	write_sysreg(ich_hcr_el2, hcr);
	isb();
}

/* The vCPU @target gets @q; a vCPU on another CPU is kicked to take it. */
static void inject(struct percpu *target, struct virq q)
{
	struct vgic_cpu *v = &target->arch.vgic;
	bool ok;

	spin_lock(&v->lock);
	ok = pending_add(v, q, false);
	spin_unlock(&v->lock);
	if (!ok) {
		if (q.hw) /* never leave the physical one active */
			write_sysreg(icc_dir_el1, q.intid);
		if (!__atomic_fetch_or(&target->cell->arch.noted,
				       1u << NOTE_IRQ_OVERFLOW,
				       __ATOMIC_RELAXED))
			printk("sph: cell %s: more than %u interrupts pending "
			       "on one vCPU: dropped\n",
			       target->cell->name, VGIC_PENDING_MAX);
		return;
	}
	if (target == arch_this_cpu())
		refill(target);
	else
		arch_kick(target);
}

/* --- what a cell owns ------------------------------------------------- */

static bool owns_spi(const struct cell *cell, uint32_t intid)
{
	return intid >= 32 && intid < VGIC_MAX_INTID &&
	       cell->arch.spi_owned[intid / 64] >> (intid % 64) & 1;
}

static bool is_doorbell(const struct cell *cell, uint32_t intid)
{
	return intid >= 32 && intid < VGIC_MAX_INTID &&
	       cell->arch.doorbell[intid / 64] >> (intid % 64) & 1;
}

static uint8_t priority_of(const struct cell *cell, const struct percpu *cpu,
			   uint32_t intid)
{
	if (intid < 32)
		return cpu->arch.vgic.prio[intid];
	return cell->arch.prio[intid];
}

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
	num_lrs = (unsigned int)(read_sysreg(ich_vtr_el2) & 0x1f) + 1;
	lr_mask = (1ul << num_lrs) - 1;
	isb();
}

static uint64_t affinity_of(const struct percpu *cpu)
{
	return cpu->mpidr & MPIDR_AFF_MASK;
}

/* The physical distributor's view of a cell, set up once at boot. */
static void gicv3_cell_init(struct cell *cell)
{
	const struct sph_cell *c = cell->cfg;
	const struct sph_irq *q = &sph_irqs(sys)[c->first_irq];
	const struct sph_shared *sh = sph_shareds(sys);
	const struct sph_access *a = sph_accesses(sys);
	uint64_t aff = affinity_of(cell->vcpu[0]), cfg;
	unsigned int i, j;
	uint32_t n;

	cell->arch.prio = mem_alloc(VGIC_MAX_INTID, 8);
	cell->arch.route = mem_alloc(VGIC_MAX_INTID, 8);
	memset(cell->arch.prio, 0xa0, VGIC_MAX_INTID);
	for (i = 0; i < c->num_irqs; i++) {
		n = q[i].intid;
		if (n < 32 || n >= VGIC_MAX_INTID)
			continue;
		cell->arch.spi_owned[n / 64] |= 1ul << (n % 64);
		cell->arch.prio[n] = q[i].priority ? q[i].priority : 0xa0;
		*reg8(gicd_base + GICD_IPRIORITYR + n) = cell->arch.prio[n];
		cfg = *reg(gicd_base + GICD_ICFGR + 4 * (n / 16));
		cfg &= ~(3ul << 2 * (n % 16));
		if (q[i].flags & SPH_IRQ_EDGE)
			cfg |= 2ul << 2 * (n % 16);
		*reg(gicd_base + GICD_ICFGR + 4 * (n / 16)) = (uint32_t)cfg;
		*(volatile uint64_t *)(gicd_base + GICD_IROUTER + 8 * n) = aff;
	}
	for (i = 0; i < sys->shared.count; i++) {
		n = sh[i].doorbell_irq;
		if (!(sh[i].flags & SPH_SHARED_DOORBELL) || n < 32 ||
		    n >= VGIC_MAX_INTID)
			continue;
		for (j = sh[i].first_access;
		     j < sh[i].first_access + sh[i].num_access; j++)
			if (a[j].cell == c->id)
				cell->arch.doorbell[n / 64] |= 1ul << (n % 64);
	}
	for (i = 0; i < cell->num_vcpus; i++)
		memset(cell->vcpu[i]->arch.vgic.prio, 0xa0, 32);
}

/* A fresh vCPU: empty list registers and virtual CPU interface. */
static void gicv3_vcpu_reset(struct percpu *cpu)
{
	unsigned int i;
	uint64_t lr;

	for (i = 0; i < num_lrs; i++) {
		lr = lr_read(i);
		if (lr & LR_HW && lr & (LR_PENDING | LR_ACTIVE))
			write_sysreg(icc_dir_el1, lr >> 32 & 0x1fff);
		lr_write(i, 0);
	}
	write_sysreg(ich_ap1r0_el2, 0);
	write_sysreg(ich_ap0r0_el2, 0);
	write_sysreg(ich_vmcr_el2, 0);
	refill(cpu);
}

/* --- physical interrupts at EL2 --------------------------------------- */

static void end(uint32_t intid)
{
	write_sysreg(icc_eoir1_el1, intid);
	isb();
	write_sysreg(icc_dir_el1, intid);
}

static void gicv3_irq(struct percpu *cpu)
{
	uint32_t intid = (uint32_t)read_sysreg(icc_iar1_el1);
	struct cell *cell = cpu->cell;
	uint64_t free;
	struct virq q;

	if (intid >= SPURIOUS)
		return;
	if (intid == SGI_KICK || intid == maintenance_irq) {
		if (intid == maintenance_irq)
			write_sysreg(ich_hcr_el2, ICH_HCR_EN);
		end(intid);
		if (cell && cell->state == CELL_RUNNING) {
			refill(cpu);
			cpu->bench_kind = intid == SGI_KICK ? BENCH_SGI_RECEIVE
							    : BENCH_NONE;
		}
		return;
	}
	write_sysreg(icc_eoir1_el1, intid); /* priority drop only */
	if (!cell || cell->state != CELL_RUNNING ||
	    !(owns_spi(cell, intid) || (intid < 32 && OWN_PPIS >> intid & 1))) {
		write_sysreg(icc_dir_el1, intid);
		return;
	}
	q.intid = (uint16_t)intid;
	q.prio = priority_of(cell, cpu, intid);
	q.hw = true;
	cpu->bench_kind = BENCH_IRQ_INJECT;
	/*
	 * The fast path: nothing waits and a list register is free. A vCPU
	 * on another CPU that queues for this one meanwhile kicks it, and
	 * the kick refills in priority order.
	 */
	free = read_sysreg(ich_elrsr_el2) & lr_mask;
	if (free &&
	    !__atomic_load_n(&cpu->arch.vgic.npending, __ATOMIC_RELAXED)) {
		lr_write((unsigned int)__builtin_ctzl(free), lr_of(&q));
		return;
	}
	inject(cpu, q);
}

/* --- SGIs from a cell (ICC_SGI1R_EL1) ---------------------------------- */

/* An SGI for vCPU @target, if it has that SGI enabled. */
static void sgi_to(struct percpu *target, struct virq q)
{
	if (!(target->arch.vgic.sgi_enabled >> q.intid & 1))
		return;
	q.prio = target->arch.vgic.prio[q.intid];
	inject(target, q);
}

static void gicv3_sgi(struct percpu *cpu, uint64_t v)
{
	struct cell *cell = cpu->cell;
	struct virq q = { (uint16_t)(v >> 24 & 0xf), 0, false };
	uint64_t targets = v & 0xffff, rs = v >> 44 & 0xf;
	bool outside = v >> 16 & 0xff || v >> 32 & 0xff || v >> 48 & 0xff;
	unsigned int i, n;

	cpu->bench_kind = BENCH_SGI_SEND;
	if (v >> 40 & 1) { /* IRM: every vCPU of the cell but the sender */
		for (i = 0; i < cell->num_vcpus; i++)
			if (cell->vcpu[i] != cpu)
				sgi_to(cell->vcpu[i], q);
		return;
	}
	for (; targets && !outside; targets &= targets - 1) {
		n = (unsigned int)(rs * 16 + (uint64_t)__builtin_ctzl(targets));
		if (n >= cell->num_vcpus) {
			outside = true;
			break;
		}
		sgi_to(cell->vcpu[n], q);
	}
	if (outside &&
	    !__atomic_fetch_or(&cell->arch.noted, 1u << NOTE_SGI_OUTSIDE,
			       __ATOMIC_RELAXED))
		printk("sph: cell %s: SGI to a CPU outside the cell dropped "
		       "(ICC_SGI1R_EL1 0x%lx)\n",
		       cell->name, v);
}

/* --- doorbells -------------------------------------------------------- */

static long gicv3_doorbell(struct percpu *cpu, uint32_t intid)
{
	const struct sph_shared *sh = sph_shareds(sys);
	const struct sph_access *a = sph_accesses(sys);
	struct cell *caller = cpu->cell, *peer;
	unsigned int i, j;
	long rung = -1;
	struct virq q = { (uint16_t)intid, 0, false };

	for (i = 0; i < sys->shared.count; i++) {
		if (!(sh[i].flags & SPH_SHARED_DOORBELL) ||
		    sh[i].doorbell_irq != intid || !is_doorbell(caller, intid))
			continue;
		rung = 0;
		for (j = sh[i].first_access;
		     j < sh[i].first_access + sh[i].num_access; j++) {
			peer = cell_of(a[j].cell);
			if (peer == caller || !peer ||
			    __atomic_load_n(&peer->state, __ATOMIC_ACQUIRE) !=
				    CELL_RUNNING ||
			    !(peer->arch.enabled[intid / 64] >> (intid % 64) &
			      1))
				continue;
			q.prio = peer->arch.prio[intid];
			inject(peer->vcpu[0], q);
			rung++;
		}
		break;
	}
	return rung;
}

/* --- the emulated distributor and redistributors ----------------------- */

struct mmio {
	uint64_t offset;
	unsigned int size; /* bytes */
	bool write;
	uint64_t value; /* written, or to be read */
};

/* A 1-bit-per-INTID register word @w of the distributor for @cell. */
static uint32_t bits_owned(const struct cell *cell, unsigned int w)
{
	return (uint32_t)(cell->arch.spi_owned[w / 2] >> (w % 2 * 32));
}

static uint32_t bits_doorbell(const struct cell *cell, unsigned int w)
{
	return (uint32_t)(cell->arch.doorbell[w / 2] >> (w % 2 * 32));
}

static void doorbell_bits(struct cell *cell, unsigned int w, uint32_t bits,
			  bool set)
{
	uint64_t mask = (uint64_t)(bits & bits_doorbell(cell, w))
			<< (w % 2 * 32);

	if (set)
		cell->arch.enabled[w / 2] |= mask;
	else
		cell->arch.enabled[w / 2] &= ~mask;
}

/* ISENABLER .. ICACTIVER and IGROUPR of the distributor (SPIs). */
static void dist_bits(struct cell *cell, struct mmio *m, uint64_t base)
{
	unsigned int w = (unsigned int)(m->offset % 0x80 / 4);
	uint32_t owned = bits_owned(cell, w), db = bits_doorbell(cell, w);
	volatile uint32_t *phys = reg(gicd_base + m->offset);

	/* SGIs and PPIs live in the redistributors; these registers take
	 * word accesses only (a byte would name other INTIDs). */
	if (w == 0 || w >= VGIC_MAX_INTID / 32 || m->size != 4) {
		m->value = 0;
		return;
	}
	if (base == GICD_IGROUPR) {
		m->value = owned | db; /* all group 1 */
		return;
	}
	if (!m->write) {
		m->value = *phys & owned;
		if (base == GICD_ISENABLER || base == GICD_ICENABLER)
			m->value |= (uint32_t)(cell->arch.enabled[w / 2] >>
					       (w % 2 * 32)) &
				    db;
		return;
	}
	if (m->value & owned)
		*phys = (uint32_t)m->value & owned;
	if (base == GICD_ISENABLER || base == GICD_ICENABLER)
		doorbell_bits(cell, w, (uint32_t)m->value,
			      base == GICD_ISENABLER);
}

static void dist_priority(struct cell *cell, struct mmio *m)
{
	uint32_t first = (uint32_t)(m->offset - GICD_IPRIORITYR), n;
	unsigned int i;

	if (!m->write)
		m->value = 0;
	for (i = 0; i < m->size; i++) {
		n = first + i;
		if (!owns_spi(cell, n) && !is_doorbell(cell, n))
			continue;
		if (!m->write) {
			m->value |= (uint64_t)cell->arch.prio[n] << 8 * i;
			continue;
		}
		cell->arch.prio[n] = (uint8_t)(m->value >> 8 * i);
		if (owns_spi(cell, n))
			*reg8(gicd_base + GICD_IPRIORITYR + n) =
				cell->arch.prio[n];
	}
}

static void dist_config(struct cell *cell, struct mmio *m)
{
	unsigned int w = (unsigned int)((m->offset - GICD_ICFGR) / 4), i;
	uint32_t owned = 0, edge = 0, n;
	volatile uint32_t *phys = reg(gicd_base + m->offset);

	for (i = 0; i < 16; i++) {
		n = w * 16 + i;
		if (owns_spi(cell, n))
			owned |= 3u << 2 * i;
		else if (is_doorbell(cell, n))
			edge |= 2u << 2 * i; /* doorbells are edge */
	}
	if (!m->write)
		m->value = (*phys & owned) | edge;
	else if (owned)
		*phys = (*phys & ~owned) | ((uint32_t)m->value & owned);
}

static void dist_router(struct cell *cell, struct mmio *m)
{
	uint32_t n = (uint32_t)((m->offset - GICD_IROUTER) / 8);
	unsigned int vcpu;

	if (!owns_spi(cell, n) && !is_doorbell(cell, n)) {
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
	if (owns_spi(cell, n))
		*(volatile uint64_t *)(gicd_base + GICD_IROUTER + 8 * n) =
			affinity_of(cell->vcpu[vcpu]);
}

static void distributor(struct cell *cell, struct mmio *m)
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
	} else if (o >= GICD_IGROUPR && o < GICD_IPRIORITYR) {
		dist_bits(cell, m, o & ~0x7fu);
	} else if (o >= GICD_IPRIORITYR && o < GICD_IPRIORITYR + 1020) {
		dist_priority(cell, m);
	} else if (o >= GICD_ICFGR && o < GICD_ICFGR + 0x100) {
		dist_config(cell, m);
	} else if (o >= GICD_IROUTER + 8 * 32 &&
		   o < GICD_IROUTER + 8 * VGIC_MAX_INTID) {
		dist_router(cell, m);
	} else {
		m->value = 0;
	}
}

/* The SGI frame of vCPU @cpu: virtual SGIs, its timer PPIs physical. */
static void redist_sgi(struct percpu *cpu, struct mmio *m)
{
	struct vgic_cpu *v = &cpu->arch.vgic;
	uint64_t o = m->offset - GICR_SGI_BASE,
		 phys = cpu->arch.rd_base + m->offset;
	unsigned int i;

	if (o >= GICD_ISENABLER && o < GICD_ISENABLER + 4) {
		if (m->write) {
			v->sgi_enabled |= (uint16_t)m->value;
			*reg(phys) = (uint32_t)m->value & OWN_PPIS;
		}
		m->value = v->sgi_enabled | (*reg(phys) & OWN_PPIS);
	} else if (o >= GICD_ICENABLER && o < GICD_ICENABLER + 4) {
		if (m->write) {
			v->sgi_enabled &= (uint16_t)~m->value;
			*reg(phys) = (uint32_t)m->value & OWN_PPIS;
		}
		m->value = v->sgi_enabled | (*reg(phys) & OWN_PPIS);
	} else if (o >= GICD_IGROUPR && o < GICD_IGROUPR + 4) {
		m->value = 0xffff | OWN_PPIS;
	} else if (o >= GICD_IPRIORITYR && o < GICD_IPRIORITYR + 32) {
		if (!m->write)
			m->value = 0;
		for (i = 0; i < m->size; i++) {
			unsigned int n =
				(unsigned int)(o - GICD_IPRIORITYR) + i;

			if (n >= 16 && !(OWN_PPIS >> n & 1))
				continue;
			if (!m->write) {
				m->value |= (uint64_t)v->prio[n] << 8 * i;
				continue;
			}
			v->prio[n] = (uint8_t)(m->value >> 8 * i);
			if (n >= 16)
				*reg8(cpu->arch.rd_base + GICR_SGI_BASE +
				      GICD_IPRIORITYR + n) = v->prio[n];
		}
	} else if (o == GICD_ICFGR && !m->write) {
		m->value = 0xaaaaaaaa; /* SGIs are edge; the timers level */
	} else {
		m->value = 0;
	}
}

static void redistributor(struct cell *cell, struct mmio *m, uint64_t frame)
{
	struct percpu *cpu = cell->vcpu[frame];
	uint64_t o = m->offset;

	if (o >= GICR_SGI_BASE) {
		redist_sgi(cpu, m);
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
	unsigned int rt = ESR_SRT(esr);
	struct mmio m;

	if (!(esr & ESR_ISV) || ESR_EC(esr) != EC_DABT_LOW)
		return false;
	m.size = 1u << ESR_SAS(esr);
	m.write = esr & ESR_WNR;
	m.value = m.write && rt != 31 ? r->x[rt] : 0;
	if (ipa & (m.size - 1))
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
	if (!m.write && rt != 31)
		r->x[rt] = m.size == 8	 ? m.value
			   : m.size == 4 ? (uint32_t)m.value
			   : m.size == 2 ? (uint16_t)m.value
					 : (uint8_t)m.value;
	r->elr += 4;
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
	.cell_init = gicv3_cell_init,
	.vcpu_reset = gicv3_vcpu_reset,
	.mmio = gicv3_mmio,
	.sgi = gicv3_sgi,
	.doorbell = gicv3_doorbell,
};
