/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC shared by the GICv2 and GICv3 drivers (vgic.c): the
 * pending set and list-register management, interrupt injection, the
 * registers both distributors have (enables, pending, active, priority,
 * configuration of a cell's own SPIs and doorbells; the SGI/PPI bank of a
 * vCPU) and the doorbells. A driver supplies the hardware through
 * struct vgic_hw and emulates the registers only its version has.
 *
 * List registers are passed in the GICv3 ICH_LR<n>_EL2 layout whatever
 * the hardware; the GICv2 driver converts. For a virtual SGI on GICv2,
 * bits [34:32] (RES0 in GICv3 when HW = 0) hold the sending vCPU, which
 * GICv2 reports to the guest with the INTID.
 */
#ifndef ASM_VGIC_H
#define ASM_VGIC_H

#include <hyp/cell.h>
#include <asm/traps.h>

#define LR_PENDING (1ul << 62)
#define LR_ACTIVE (1ul << 63)
#define LR_HW (1ul << 61)
#define LR_GROUP1 (1ul << 60)
#define LR_EOI (1ul << 41) /* HW = 0: a maintenance interrupt at its EOI */
#define LR_PRIO(lr) ((uint8_t)((lr) >> 48))
#define LR_INTID(lr) ((uint32_t)(lr))
#define LR_PINTID(lr) ((uint32_t)((lr) >> 32) & 0x1fff)
#define LR_SOURCE(lr) ((unsigned int)((lr) >> 32) & 7)

/* The maintenance-interrupt controls, at the same bits in GICH_HCR and
 * ICH_HCR_EL2. */
#define VGIC_HCR_EN (1u << 0)
#define VGIC_HCR_UIE (1u << 1)
#define VGIC_HCR_NPIE (1u << 3)

#define VGIC_SPURIOUS 1020
#define PPI_VTIMER 27
#define PPI_PTIMER 30
/* The PPIs a vCPU owns physically: its timers. */
#define VGIC_OWN_PPIS (1u << PPI_VTIMER | 1u << PPI_PTIMER)

/* Distributor offsets both versions share. */
#define GICD_CTLR 0x0
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
#define GIC_IIDR_ARM 0x43b

/*
 * What the shared code needs of the hardware, on the calling CPU:
 *   lr_read/lr_write - list register @n, in the GICv3 layout;
 *   elrsr - a bit per free list register;
 *   hcr_write - the maintenance controls (VGIC_HCR_*);
 *   priority_drop/deactivate - of a physical INTID acknowledged at EL2
 *     (EOImode = 1);
 *   cpu_reset - clear the active priorities and the virtual CPU
 *     interface (VMCR) for a fresh vCPU;
 *   spi_route - route the cell's SPI @intid to the CPU of @target;
 *   num_lrs, group1 - list registers there are; whether virtual
 *     interrupts are group 1 (GICv3) or group 0 (GICv2, whose guests
 *     enable group 0 only);
 *   hw_bit - forward physical interrupts with the hardware bit (the
 *     guest's EOI deactivates them); without it they go in with HW = 0
 *     and the EOI bit, and the maintenance interrupt that follows the
 *     guest's EOI deactivates them (vgic_maintenance).
 */
struct vgic_hw {
	uint64_t (*lr_read)(unsigned int n);
	void (*lr_write)(unsigned int n, uint64_t lr);
	uint64_t (*elrsr)(void);
	void (*hcr_write)(uint32_t hcr);
	void (*priority_drop)(uint32_t intid);
	void (*deactivate)(uint32_t intid);
	void (*cpu_reset)(void);
	void (*spi_route)(uint32_t intid, const struct percpu *target);
	unsigned int num_lrs;
	bool group1;
	bool hw_bit;
};

/* A trapped access to an emulated GIC frame. */
struct vgic_mmio {
	uint64_t offset;   /* in the frame */
	unsigned int size; /* bytes */
	bool write;
	uint64_t value; /* written, or to be read */
};

/* vgic_init - use @hw; @gicd_base: the physical distributor. */
void vgic_init(struct vgic_hw *hw, uint64_t gicd_base);

/* vgic_cell_init - take the cell's SPIs and doorbells over: priority,
 * trigger and routing to vCPU 0 on the physical distributor. */
void vgic_cell_init(struct cell *cell);

/* vgic_vcpu_reset - empty list registers and virtual CPU interface. */
void vgic_vcpu_reset(struct percpu *cpu);

/*
 * vgic_physical - after acknowledging physical @intid (not the kick or
 * maintenance interrupt): forward it to this CPU's vCPU if its cell owns
 * it, otherwise drop and deactivate it.
 */
void vgic_physical(struct percpu *cpu, uint32_t intid);

/*
 * vgic_maintenance - on the maintenance interrupt: deactivate the
 * physical interrupts the guest has ended (forwarded without the
 * hardware bit) and free their list registers.
 */
void vgic_maintenance(void);

/* vgic_refill - best pending interrupts into the list registers. */
void vgic_refill(struct percpu *cpu);

/* vgic_sgi - virtual SGI @intid from @from to vCPU @target, if enabled. */
void vgic_sgi(struct percpu *from, struct percpu *target, uint32_t intid);

/* vgic_note_sgi_outside - report once that a cell aimed an SGI outside. */
void vgic_note_sgi_outside(struct cell *cell, const char *reg, uint64_t v);

long vgic_doorbell(struct percpu *cpu, uint32_t intid);

bool vgic_owns_spi(const struct cell *cell, uint32_t intid);
bool vgic_is_doorbell(const struct cell *cell, uint32_t intid);

/*
 * vgic_dist_common - the distributor registers of both versions for a
 * cell's SPIs and doorbells: IGROUPR .. ICACTIVER (word accesses), the
 * IPRIORITYR and ICFGR. INTIDs 0-31 are not handled here. False if
 * @m is not one of those registers.
 */
bool vgic_dist_common(struct cell *cell, struct vgic_mmio *m);

/* vgic_dist_is_bank - whether distributor offset @o is about INTIDs 0-31. */
bool vgic_dist_is_bank(uint64_t o);

/*
 * vgic_bank - the SGI/PPI half (INTIDs 0-31) of a GICD-layout frame for
 * vCPU @cpu: its virtual SGIs and its physical timer PPIs, which live at
 * @phys (the redistributor's SGI frame, or the banked GICv2 distributor).
 */
void vgic_bank(struct percpu *cpu, struct vgic_mmio *m, uint64_t phys);

/*
 * vgic_mmio_trap - decode a data abort at @ipa into @m (false if it is
 * not a plain aligned access with syndrome), then after emulation
 * vgic_mmio_done writes a read's value back and steps over the access.
 */
bool vgic_mmio_trap(struct regs *r, uint64_t esr, uint64_t ipa,
		    struct vgic_mmio *m);
void vgic_mmio_done(struct regs *r, uint64_t esr, const struct vgic_mmio *m);

#endif
