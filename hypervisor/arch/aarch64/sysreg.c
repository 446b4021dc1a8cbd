// SPDX-License-Identifier: MIT
/*
 * Trapped system registers and instructions (EC 0x18), see the threat
 * model in hypervisor/README.md:
 *
 * - PMU, debug, OS-lock, trace and implementation-defined registers read
 *   as zero and ignore writes: a cell may not count or observe EL2, set
 *   breakpoints, or tune the shared L2. Each kind is noted once per cell.
 * - Cache maintenance by set/way would clean or drop lines of every cell
 *   in a shared cache. As KVM does, the first such operation cleans and
 *   invalidates the cell's own memory by VA and arms HCR_EL2.TVM; further
 *   ones are no-ops until the vCPU turns its caches on or off (a trapped
 *   SCTLR_EL1 write), which flushes again, and caches on disarms TVM.
 * - ICC_SGI1R_EL1 goes to the GIC driver, which delivers the SGI to vCPUs
 *   of the same cell only.
 * - Anything else (ICC_ASGI1R_EL1, ICC_SGI0R_EL1 among them) stops the
 *   cell.
 */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/mem.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

/* ESR_EL2.ISS of EC 0x18. */
#define ISS_OP0(iss) ((iss) >> 20 & 3)
#define ISS_OP2(iss) ((iss) >> 17 & 7)
#define ISS_OP1(iss) ((iss) >> 14 & 7)
#define ISS_CRN(iss) ((iss) >> 10 & 15)
#define ISS_RT(iss) ((iss) >> 5 & 31)
#define ISS_CRM(iss) ((iss) >> 1 & 15)
#define ISS_READ 1u
#define ISS_REG 0x3ffc1eu /* the register, without Rt and direction */
#define SYSREG(op0, op1, crn, crm, op2)                                        \
	((op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | (crm) << 1)

enum note { NOTE_PMU, NOTE_DEBUG, NOTE_TRACE, NOTE_IMPDEF, NOTE_SET_WAY };

static const char *const note_kind[] = { "PMU", "debug", "trace",
					 "implementation-defined" };

static const struct {
	uint32_t reg;
	const char *name;
} names[] = {
	{ SYSREG(3, 0, 12, 11, 5), "ICC_SGI1R_EL1" },
	{ SYSREG(3, 0, 12, 11, 6), "ICC_ASGI1R_EL1" },
	{ SYSREG(3, 0, 12, 11, 7), "ICC_SGI0R_EL1" },
	{ SYSREG(3, 3, 9, 12, 0), "PMCR_EL0" },
	{ SYSREG(3, 3, 9, 12, 1), "PMCNTENSET_EL0" },
	{ SYSREG(3, 3, 9, 13, 0), "PMCCNTR_EL0" },
	{ SYSREG(3, 3, 9, 14, 0), "PMUSERENR_EL0" },
	{ SYSREG(3, 3, 14, 15, 7), "PMCCFILTR_EL0" },
	{ SYSREG(2, 0, 0, 0, 4), "DBGBVR0_EL1" },
	{ SYSREG(2, 0, 0, 0, 5), "DBGBCR0_EL1" },
	{ SYSREG(2, 0, 0, 0, 6), "DBGWVR0_EL1" },
	{ SYSREG(2, 0, 0, 0, 7), "DBGWCR0_EL1" },
	{ SYSREG(2, 0, 0, 2, 2), "MDSCR_EL1" },
	{ SYSREG(2, 0, 1, 0, 4), "OSLAR_EL1" },
	{ SYSREG(2, 0, 1, 1, 4), "OSLSR_EL1" },
	{ SYSREG(3, 0, 1, 0, 1), "ACTLR_EL1" },
};

static void reg_name(uint32_t iss, char *buf, size_t size)
{
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].reg == (iss & ISS_REG)) {
			snprintk(buf, size, "%s", names[i].name);
			return;
		}
	snprintk(buf, size, "S%u_%u_C%u_C%u_%u", ISS_OP0(iss), ISS_OP1(iss),
		 ISS_CRN(iss), ISS_CRM(iss), ISS_OP2(iss));
}

/* The registers that read as zero for a cell, by kind; -1 for others. */
static int raz_kind(uint32_t iss)
{
	unsigned int crn = ISS_CRN(iss), crm = ISS_CRM(iss);

	if (ISS_OP0(iss) == 2) /* debug, OS lock; op1 1 is the trace unit */
		return ISS_OP1(iss) == 1 ? NOTE_TRACE : NOTE_DEBUG;
	if (ISS_OP0(iss) != 3)
		return -1;
	if (crn == 11 || crn == 15 || (iss & ISS_REG) == SYSREG(3, 0, 1, 0, 1))
		return NOTE_IMPDEF; /* TIDCP, and ACTLR_EL1 through TACR */
	if ((crn == 9 && crm >= 12) || (ISS_OP1(iss) == 3 && crn == 14 &&
					crm >= 8)) /* PMU, event counters */
		return NOTE_PMU;
	return -1;
}

static bool first_time(struct percpu *cpu, enum note n)
{
	unsigned int bit = 1u << n;

	return !(__atomic_fetch_or(&cpu->cell->arch.noted, bit,
				   __ATOMIC_RELAXED) &
		 bit);
}

static void set_hcr(struct percpu *cpu, uint64_t hcr)
{
	cpu->arch.hcr = hcr;
	write_sysreg(hcr_el2, hcr);
	isb();
}

static void set_way(struct percpu *cpu)
{
	if (cpu->arch.hcr & HCR_TVM)
		return; /* flushed since the caches last changed */
	mem_flush_cell(cpu->cell);
	set_hcr(cpu, cpu->arch.hcr | HCR_TVM);
	if (first_time(cpu, NOTE_SET_WAY))
		printk("sph: cell %s: set/way cache maintenance emulated: "
		       "cleaned and invalidated its own memory by VA\n",
		       cpu->cell->name);
}

static void sctlr_write(struct percpu *cpu, uint64_t v)
{
	uint64_t old = read_sysreg(sctlr_el1);

	write_sysreg(sctlr_el1, v);
	if (!((old ^ v) & SCTLR_EL1_C))
		return;
	mem_flush_cell(cpu->cell);
	if (v & SCTLR_EL1_C)
		set_hcr(cpu, cpu->arch.hcr & ~HCR_TVM);
}

/* The writes HCR_EL2.TVM traps: done for the cell. */
static bool vm_write(struct percpu *cpu, uint32_t reg, uint64_t v)
{
	switch (reg) {
	case SYSREG(3, 0, 1, 0, 0):
		sctlr_write(cpu, v);
		break;
	case SYSREG(3, 0, 2, 0, 0):
		write_sysreg(ttbr0_el1, v);
		break;
	case SYSREG(3, 0, 2, 0, 1):
		write_sysreg(ttbr1_el1, v);
		break;
	case SYSREG(3, 0, 2, 0, 2):
		write_sysreg(tcr_el1, v);
		break;
	case SYSREG(3, 0, 5, 1, 0):
		write_sysreg(afsr0_el1, v);
		break;
	case SYSREG(3, 0, 5, 1, 1):
		write_sysreg(afsr1_el1, v);
		break;
	case SYSREG(3, 0, 5, 2, 0):
		write_sysreg(esr_el1, v);
		break;
	case SYSREG(3, 0, 6, 0, 0):
		write_sysreg(far_el1, v);
		break;
	case SYSREG(3, 0, 10, 2, 0):
		write_sysreg(mair_el1, v);
		break;
	case SYSREG(3, 0, 10, 3, 0):
		write_sysreg(amair_el1, v);
		break;
	case SYSREG(3, 0, 13, 0, 1):
		write_sysreg(contextidr_el1, v);
		break;
	default:
		return false;
	}
	return true;
}

static bool is_set_way(uint32_t reg)
{
	return reg == SYSREG(1, 0, 7, 6, 2) ||	/* DC ISW */
	       reg == SYSREG(1, 0, 7, 10, 2) || /* DC CSW */
	       reg == SYSREG(1, 0, 7, 14, 2);	/* DC CISW */
}

void sysreg_trap(struct percpu *cpu, struct regs *r, uint64_t esr)
{
	uint32_t iss = ESR_ISS(esr);
	unsigned int rt = ISS_RT(iss);
	bool read = iss & ISS_READ;
	int kind = raz_kind(iss);
	char name[24], what[80];

	if (kind >= 0) {
		if (read && rt != 31)
			r->x[rt] = 0;
		if (first_time(cpu, (enum note)kind)) {
			reg_name(iss, name, sizeof(name));
			printk("sph: cell %s: %s register %s: reads as zero, "
			       "writes ignored\n",
			       cpu->cell->name, note_kind[kind], name);
		}
	} else if (is_set_way(iss & ISS_REG)) {
		set_way(cpu);
	} else if ((iss & ISS_REG) == SYSREG(3, 0, 12, 11, 5) && !read &&
		   gic_sgi(cpu, rt == 31 ? 0 : r->x[rt])) {
		/* ICC_SGI1R_EL1: delivered inside the cell (the GIC driver) */
	} else if (read ||
		   !vm_write(cpu, iss & ISS_REG, rt == 31 ? 0 : r->x[rt])) {
		reg_name(iss, name, sizeof(name));
		snprintk(what, sizeof(what),
			 "system register %s is not available to cells", name);
		trap_stop(cpu, r, esr, what);
	}
	r->elr += 4;
}
