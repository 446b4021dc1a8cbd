// SPDX-License-Identifier: MIT
/*
 * Traps from cells: hypercalls, PSCI, and everything that stops a cell
 * (stage-2 faults, SMCs that are not PSCI, any other trap). Each handler
 * ends with cell_check(), so a CPU whose cell was ended by another CPU
 * parks on its way back instead of returning to the cell.
 */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/vuart.h>
#include <sph/hypercall.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <asm/vgic.h>

noreturn void trap_stop(struct percpu *cpu, const struct regs *r, uint64_t esr,
			const char *what)
{
	cell_stop(cpu,
		  "sph: cell %s stopped: %s\n"
		  "sph:   CPU %u (vCPU %u), PC 0x%lx, ESR_EL2 0x%lx\n",
		  cpu->cell->name, what, cpu->id, cpu->vcpu, r->elr, esr);
}

static noreturn void stage2_fault(struct percpu *cpu, const struct regs *r,
				  uint64_t esr, uint64_t ipa)
{
	static const char *const kinds[] = { "address size", "translation",
					     "access flag", "permission" };
	uint64_t far = read_sysreg(far_el2);
	unsigned int fsc = ESR_FSC(esr);
	const char *access = esr & ESR_WNR ? "write to" : "read from";
	char what[160];

	if (ESR_EC(esr) == EC_IABT_LOW)
		access = "execute at";
	snprintk(what, sizeof(what),
		 "stage-2 fault: %s IPA 0x%lx (FAR 0x%lx, %s fault, level %u)",
		 access, ipa, far, fsc < 16 ? kinds[fsc >> 2] : "other",
		 fsc & 3);
	trap_stop(cpu, r, esr, what);
}

/* An access to the cell's console page; false if it is not one. */
static bool console_page(struct percpu *cpu, struct regs *r, uint64_t esr,
			 uint64_t ipa)
{
	struct vgic_mmio m;

	if (!vuart_at(cpu, ipa) || !vgic_mmio_trap(r, esr, ipa, &m))
		return false;
	m.value = vuart_access(cpu, ipa, m.size, m.write, m.value);
	vgic_mmio_done(r, esr, &m);
	return true;
}

static void call(struct percpu *cpu, struct regs *r, uint64_t esr)
{
	bool smc = ESR_EC(esr) == EC_SMC64;
	char what[64];

	if (!smc && ESR_ISS(esr) & 0xffff) {
		r->x[0] = (uint64_t)SPH_HC_NOT_SUPPORTED; /* only HVC #0 */
		return;
	}
	if (psci_call(cpu, r)) {
		if (smc)
			r->elr += 4; /* ELR_EL2 points at the SMC itself */
		return;
	}
	if (smc) {
		snprintk(what, sizeof(what), "SMC 0x%lx is not a PSCI call",
			 r->x[0]);
		trap_stop(cpu, r, esr, what);
	}
	if ((uint32_t)r->x[0] == SPH_HC_CELL_ID)
		cpu->bench_kind = BENCH_HYPERCALL;
	else if ((uint32_t)r->x[0] == SPH_HC_DOORBELL)
		cpu->bench_kind = BENCH_DOORBELL;
	r->x[0] = (uint64_t)hypercall(cpu, r->x[0], r->x[1], r->x[2]);
}

void trap_sync(struct regs *r)
{
	struct percpu *cpu = arch_this_cpu();
	uint64_t esr = read_sysreg(esr_el2), ipa;
	char what[32];

	switch (ESR_EC(esr)) {
	case EC_SMC64:
	case EC_HVC64:
		call(cpu, r, esr);
		break;
	case EC_SYSREG:
		sysreg_trap(cpu, r, esr);
		break;
	case EC_IABT_LOW:
	case EC_DABT_LOW:
		ipa = (read_sysreg(hpfar_el2) & HPFAR_FIPA) << 8 |
		      (read_sysreg(far_el2) & 0xfff);
		if (gic_mmio(cpu, r, esr, ipa) ||
		    console_page(cpu, r, esr, ipa))
			break;
		stage2_fault(cpu, r, esr, ipa);
	default:
		snprintk(what, sizeof(what), "unexpected trap (EC 0x%x)",
			 ESR_EC(esr));
		trap_stop(cpu, r, esr, what);
	}
	cell_check(cpu);
}

void trap_irq(void)
{
	struct percpu *cpu = arch_this_cpu();

	gic_irq(cpu);
	cell_check(cpu);
}

void trap_serror(struct regs *r)
{
	trap_stop(arch_this_cpu(), r, read_sysreg(esr_el2), "SError");
}

void trap_unexpected(struct regs *r)
{
	trap_stop(arch_this_cpu(), r, 0, "unexpected FIQ or AArch32 exception");
}

void hyp_fault(struct regs *r)
{
	panic("exception at EL2: ESR 0x%lx, ELR 0x%lx, FAR 0x%lx\n",
	      read_sysreg(esr_el2), r->elr, read_sysreg(far_el2));
}
