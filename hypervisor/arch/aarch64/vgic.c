// SPDX-License-Identifier: MIT
/*
 * The virtual GIC both drivers share (see asm/vgic.h). Physical
 * interrupts of a cell (its devices' SPIs, its timer PPIs 27 and 30) are
 * taken at EL2, dropped in priority (EOImode = 1) and injected into the
 * cell's vCPU through a list register with the hardware bit, so the
 * cell's EOI deactivates the physical interrupt without another trap.
 * Virtual interrupts (SGIs between vCPUs, doorbells) go in with HW = 0.
 * What does not fit in the list registers waits in a per-vCPU set ordered
 * by priority; the list registers always hold the best ones (a pending
 * one of lower priority is swapped out) and are refilled on the
 * maintenance interrupt (NPIE, or UIE when every list register is
 * active).
 *
 * The distributor is never mapped into cells: its accesses trap and are
 * emulated. A cell's own SPIs are applied to the physical distributor,
 * its doorbells and SGIs are virtual state, its timer PPIs go to the
 * physical SGI/PPI bank of the vCPU's CPU; anything else reads as zero
 * and ignores writes. See the threat model in hypervisor/README.md.
 */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/mem.h>
#include <hyp/system.h>
#include <asm/sysregs.h>
#include <asm/vgic.h>

static struct vgic_hw *hw;
static uint64_t gicd_base;

static volatile uint32_t *reg(uint64_t addr)
{
	return (volatile uint32_t *)addr;
}

static volatile uint8_t *reg8(uint64_t addr)
{
	return (volatile uint8_t *)addr;
}

void vgic_init(struct vgic_hw *h, uint64_t gicd)
{
	hw = h;
	gicd_base = gicd;
}

static uint64_t lr_mask(void)
{
	return (1ul << hw->num_lrs) - 1;
}

static uint64_t lr_of(const struct virq *q)
{
	uint64_t lr = LR_PENDING | (hw->group1 ? LR_GROUP1 : 0) |
		      (uint64_t)q->prio << 48 | q->intid;

	if (!q->hw)
		return lr | (uint64_t)q->source << 32;
	if (!hw->hw_bit)
		return lr | LR_EOI;
	return lr | LR_HW | (uint64_t)q->intid << 32;
}

/* Whether @lr holds a physical interrupt, forwarded either way. */
static bool lr_is_physical(uint64_t lr)
{
	return lr & (LR_HW | LR_EOI);
}

/* --- the pending set of a vCPU, best priority first --------------------- */

/*
 * Insert @q after the interrupts of its priority (@first: before them,
 * for one that was already in a list register); false if the set is
 * full. A virtual interrupt already in the set is pending once (a GICv2
 * SGI from two senders too: the guest learns of one sender). Under
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

	for (i = 0; i < hw->num_lrs; i++) {
		lr = hw->lr_read(i);
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
		lr = hw->lr_read(i);
		if (LR_INTID(lr) != intid || !(lr & (LR_PENDING | LR_ACTIVE)))
			continue;
		if (!(lr & LR_PENDING))
			hw->lr_write(i, lr | LR_PENDING);
		return true;
	}
	return false;
}

static struct virq virq_of_lr(uint64_t lr)
{
	struct virq q = { (uint16_t)LR_INTID(lr), LR_PRIO(lr),
			  lr_is_physical(lr), 0 };

	if (!q.hw)
		q.source = (uint8_t)LR_SOURCE(lr);
	return q;
}

/*
 * Move the best pending interrupts of this CPU's vCPU into its list
 * registers and arm the maintenance interrupt for what is left. On the
 * vCPU's own CPU, at EL2.
 */
void vgic_refill(struct percpu *cpu)
{
	struct vgic_cpu *v = &cpu->arch.vgic;
	uint64_t free, lr;
	uint32_t hcr = VGIC_HCR_EN;
	unsigned int n, i;
	bool any_pending = false;
	int evict;

	spin_lock(&v->lock);
	free = hw->elrsr() & lr_mask();
	while (v->npending) {
		if (!v->pending[0].hw &&
		    lr_merge(v->pending[0].intid, lr_mask() & ~free)) {
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
			lr = hw->lr_read(n);
			struct virq best = pending_take(v);

			pending_add(v, virq_of_lr(lr), true);
			hw->lr_write(n, lr_of(&best));
			continue;
		}
		struct virq best = pending_take(v);

		hw->lr_write(n, lr_of(&best));
	}
	if (v->npending) {
		for (i = 0; i < hw->num_lrs; i++)
			any_pending |= !!(hw->lr_read(i) & LR_PENDING);
		hcr |= any_pending ? VGIC_HCR_NPIE : VGIC_HCR_UIE;
	}
	spin_unlock(&v->lock);
	hw->hcr_write(hcr);
}

void vgic_maintenance(void)
{
	unsigned int i;
	uint64_t lr;

	if (hw->hw_bit)
		return;
	for (i = 0; i < hw->num_lrs; i++) {
		lr = hw->lr_read(i);
		if (lr & LR_EOI && !(lr & (LR_PENDING | LR_ACTIVE))) {
			hw->deactivate(LR_INTID(lr));
			hw->lr_write(i, 0);
		}
	}
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
			hw->deactivate(q.intid);
		if (!__atomic_fetch_or(&target->cell->arch.noted,
				       1u << NOTE_IRQ_OVERFLOW,
				       __ATOMIC_RELAXED))
			printk("sph: cell %s: more than %u interrupts pending "
			       "on one vCPU: dropped\n",
			       target->cell->name, VGIC_PENDING_MAX);
		return;
	}
	if (target == arch_this_cpu())
		vgic_refill(target);
	else
		arch_kick(target);
}

/* --- what a cell owns ------------------------------------------------- */

bool vgic_owns_spi(const struct cell *cell, uint32_t intid)
{
	return intid >= 32 && intid < VGIC_MAX_INTID &&
	       cell->arch.spi_owned[intid / 64] >> (intid % 64) & 1;
}

bool vgic_is_doorbell(const struct cell *cell, uint32_t intid)
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

/* --- set-up ------------------------------------------------------------ */

/*
 * An ICFGR word holds the trigger of 16 INTIDs, which may belong to
 * different cells: every read-modify-write of one is under this lock, or
 * one cell's write could put back another's old bits.
 */
static spinlock_t icfgr_lock;

void vgic_cell_init(struct cell *cell)
{
	const struct sph_cell *c = cell->cfg;
	const struct sph_irq *q = &sph_irqs(sys)[c->first_irq];
	const struct sph_shared *sh = sph_shareds(sys);
	const struct sph_access *a = sph_accesses(sys);
	unsigned int i, j;
	uint32_t n, cfg;

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
		spin_lock(&icfgr_lock);
		cfg = *reg(gicd_base + GICD_ICFGR + 4 * (n / 16));
		cfg &= ~(3u << 2 * (n % 16));
		if (q[i].flags & SPH_IRQ_EDGE)
			cfg |= 2u << 2 * (n % 16);
		*reg(gicd_base + GICD_ICFGR + 4 * (n / 16)) = cfg;
		spin_unlock(&icfgr_lock);
		hw->spi_route(n, cell->vcpu[0]);
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

void vgic_vcpu_reset(struct percpu *cpu)
{
	unsigned int i;
	uint64_t lr;

	for (i = 0; i < hw->num_lrs; i++) {
		lr = hw->lr_read(i);
		if (lr_is_physical(lr) && lr & (LR_PENDING | LR_ACTIVE))
			hw->deactivate(LR_INTID(lr));
		hw->lr_write(i, 0);
	}
	hw->cpu_reset();
	vgic_refill(cpu);
}

/* --- physical interrupts at EL2 --------------------------------------- */

void vgic_physical(struct percpu *cpu, uint32_t intid)
{
	struct cell *cell = cpu->cell;
	uint64_t free;
	struct virq q;

	hw->priority_drop(intid);
	if (!cell || cell->state != CELL_RUNNING ||
	    !(vgic_owns_spi(cell, intid) ||
	      (intid < 32 && VGIC_OWN_PPIS >> intid & 1))) {
		hw->deactivate(intid);
		return;
	}
	q.intid = (uint16_t)intid;
	q.prio = priority_of(cell, cpu, intid);
	q.hw = true;
	q.source = 0;
	cpu->bench_kind = BENCH_IRQ_INJECT;
	/*
	 * The fast path: nothing waits and a list register is free. A vCPU
	 * on another CPU that queues for this one meanwhile kicks it, and
	 * the kick refills in priority order.
	 */
	free = hw->elrsr() & lr_mask();
	if (free &&
	    !__atomic_load_n(&cpu->arch.vgic.npending, __ATOMIC_RELAXED)) {
		hw->lr_write((unsigned int)__builtin_ctzl(free), lr_of(&q));
		return;
	}
	inject(cpu, q);
}

/* --- SGIs and doorbells ------------------------------------------------ */

void vgic_sgi(struct percpu *from, struct percpu *target, uint32_t intid)
{
	struct virq q = { (uint16_t)intid, 0, false, (uint8_t)from->vcpu };

	if (!(target->arch.vgic.sgi_enabled >> intid & 1))
		return;
	q.prio = target->arch.vgic.prio[intid];
	inject(target, q);
}

void vgic_note_sgi_outside(struct cell *cell, const char *reg_name, uint64_t v)
{
	if (!__atomic_fetch_or(&cell->arch.noted, 1u << NOTE_SGI_OUTSIDE,
			       __ATOMIC_RELAXED))
		printk("sph: cell %s: SGI to a CPU outside the cell dropped "
		       "(%s 0x%lx)\n",
		       cell->name, reg_name, v);
}

long vgic_doorbell(struct percpu *cpu, uint32_t intid)
{
	const struct sph_shared *sh = sph_shareds(sys);
	const struct sph_access *a = sph_accesses(sys);
	struct cell *caller = cpu->cell, *peer;
	unsigned int i, j;
	long rung = -1;
	struct virq q = { (uint16_t)intid, 0, false, 0 };

	for (i = 0; i < sys->shared.count; i++) {
		if (!(sh[i].flags & SPH_SHARED_DOORBELL) ||
		    sh[i].doorbell_irq != intid ||
		    !vgic_is_doorbell(caller, intid))
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

/* --- the distributor registers both versions have ----------------------- */

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
static void dist_bits(struct cell *cell, struct vgic_mmio *m, uint64_t base)
{
	unsigned int w = (unsigned int)(m->offset % 0x80 / 4);
	uint32_t owned = bits_owned(cell, w), db = bits_doorbell(cell, w);
	volatile uint32_t *phys = reg(gicd_base + m->offset);

	/* These registers take word accesses only (a byte would name
	 * other INTIDs). */
	if (w == 0 || w >= VGIC_MAX_INTID / 32 || m->size != 4) {
		m->value = 0;
		return;
	}
	if (base == GICD_IGROUPR) {
		m->value = hw->group1 ? owned | db : 0;
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

static void dist_priority(struct cell *cell, struct vgic_mmio *m)
{
	uint32_t first = (uint32_t)(m->offset - GICD_IPRIORITYR), n;
	unsigned int i;

	if (!m->write)
		m->value = 0;
	for (i = 0; i < m->size; i++) {
		n = first + i;
		if (!vgic_owns_spi(cell, n) && !vgic_is_doorbell(cell, n))
			continue;
		if (!m->write) {
			m->value |= (uint64_t)cell->arch.prio[n] << 8 * i;
			continue;
		}
		cell->arch.prio[n] = (uint8_t)(m->value >> 8 * i);
		if (vgic_owns_spi(cell, n))
			*reg8(gicd_base + GICD_IPRIORITYR + n) =
				cell->arch.prio[n];
	}
}

static void dist_config(struct cell *cell, struct vgic_mmio *m)
{
	unsigned int w = (unsigned int)((m->offset - GICD_ICFGR) / 4), i;
	uint32_t owned = 0, edge = 0, n;
	volatile uint32_t *phys = reg(gicd_base + m->offset);

	if (m->size != 4) {
		m->value = 0;
		return;
	}
	for (i = 0; i < 16; i++) {
		n = w * 16 + i;
		if (vgic_owns_spi(cell, n))
			owned |= 3u << 2 * i;
		else if (vgic_is_doorbell(cell, n))
			edge |= 2u << 2 * i; /* doorbells are edge */
	}
	if (!m->write) {
		m->value = (*phys & owned) | edge;
	} else if (owned) {
		spin_lock(&icfgr_lock);
		*phys = (*phys & ~owned) | ((uint32_t)m->value & owned);
		spin_unlock(&icfgr_lock);
	}
}

bool vgic_dist_is_bank(uint64_t o)
{
	return (o >= GICD_IGROUPR && o < GICD_IPRIORITYR && o % 0x80 < 4) ||
	       (o >= GICD_IPRIORITYR && o < GICD_IPRIORITYR + 32) ||
	       (o >= GICD_ICFGR && o < GICD_ICFGR + 8);
}

bool vgic_dist_common(struct cell *cell, struct vgic_mmio *m)
{
	uint64_t o = m->offset;

	if (o >= GICD_IGROUPR && o < GICD_IPRIORITYR)
		dist_bits(cell, m, o & ~0x7fu);
	else if (o >= GICD_IPRIORITYR + 32 && o < GICD_IPRIORITYR + 1020)
		dist_priority(cell, m);
	else if (o >= GICD_ICFGR + 8 && o < GICD_ICFGR + 0x100)
		dist_config(cell, m);
	else
		return false;
	return true;
}

/* --- the SGI/PPI bank of a vCPU ---------------------------------------- */

void vgic_bank(struct percpu *cpu, struct vgic_mmio *m, uint64_t phys_base)
{
	struct vgic_cpu *v = &cpu->arch.vgic;
	uint64_t o = m->offset, phys = phys_base + o;
	unsigned int i, n;

	if ((o == GICD_ISENABLER || o == GICD_ICENABLER) && m->size == 4) {
		if (m->write) {
			if (o == GICD_ISENABLER)
				v->sgi_enabled |= (uint16_t)m->value;
			else
				v->sgi_enabled &= (uint16_t)~m->value;
			*reg(phys) = (uint32_t)m->value & VGIC_OWN_PPIS;
		}
		m->value = v->sgi_enabled | (*reg(phys) & VGIC_OWN_PPIS);
	} else if (o == GICD_IGROUPR && m->size == 4) {
		m->value = hw->group1 ? 0xffff | VGIC_OWN_PPIS : 0;
	} else if (o >= GICD_IPRIORITYR && o < GICD_IPRIORITYR + 32) {
		if (!m->write)
			m->value = 0;
		for (i = 0; i < m->size; i++) {
			n = (unsigned int)(o - GICD_IPRIORITYR) + i;
			if (n >= 16 && !(VGIC_OWN_PPIS >> n & 1))
				continue;
			if (!m->write) {
				m->value |= (uint64_t)v->prio[n] << 8 * i;
				continue;
			}
			v->prio[n] = (uint8_t)(m->value >> 8 * i);
			if (n >= 16)
				*reg8(phys_base + GICD_IPRIORITYR + n) =
					v->prio[n];
		}
	} else if (o == GICD_ICFGR && !m->write) {
		m->value = 0xaaaaaaaa; /* SGIs are edge */
	} else if (o == GICD_ICFGR + 4 && !m->write) {
		m->value = 0; /* the timer PPIs are level */
	} else {
		m->value = 0;
	}
}

/* --- trapped accesses --------------------------------------------------- */

bool vgic_mmio_trap(struct regs *r, uint64_t esr, uint64_t ipa,
		    struct vgic_mmio *m)
{
	unsigned int rt = ESR_SRT(esr);

	if (!(esr & ESR_ISV) || ESR_EC(esr) != EC_DABT_LOW)
		return false;
	m->size = 1u << ESR_SAS(esr);
	m->write = esr & ESR_WNR;
	m->value = m->write && rt != 31 ? r->x[rt] : 0;
	return !(ipa & (m->size - 1));
}

void vgic_mmio_done(struct regs *r, uint64_t esr, const struct vgic_mmio *m)
{
	unsigned int rt = ESR_SRT(esr);

	if (!m->write && rt != 31)
		r->x[rt] = m->size == 8	  ? m->value
			   : m->size == 4 ? (uint32_t)m->value
			   : m->size == 2 ? (uint16_t)m->value
					  : (uint8_t)m->value;
	r->elr += 4;
}
