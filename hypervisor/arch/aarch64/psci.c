// SPDX-License-Identifier: MIT
/* PSCI: the firmware's (SMC from EL2) and the one cells see (emulated). */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <sph/hypercall.h>
#include <asm/boot.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

#define SMC64 0x40000000u
#define PSCI_ID_MASK 0xbfffffe0u /* PSCI: 0x84000000..1f, SMC32/64 */
#define MIGRATE_NOT_NEEDED 2	 /* no Trusted OS to migrate */
#define VERSION_1_0 0x10000

static const uint32_t emulated[] = {
	PSCI_VERSION,		PSCI_CPU_OFF,
	PSCI_CPU_ON & ~SMC64,	PSCI_AFFINITY_INFO & ~SMC64,
	PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF,
	PSCI_FEATURES,
};

static long firmware(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 asm("x0") = fn, x1 asm("x1") = a1;
	register uint64_t x2 asm("x2") = a2, x3 asm("x3") = a3;

	asm volatile("smc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		       "x13", "x14", "x15", "x16", "x17", "memory");
	return (long)x0;
}

int arch_cpu_start(struct percpu *cpu)
{
	extern char _start[], secondary_entry[];
	/* It enters with the MMU off: at the boot page as loaded. */
	uint64_t entry =
		LINK_VALUE(__sph_hyp_pa) + (uint64_t)(secondary_entry - _start);

	return (int)firmware(PSCI_CPU_ON, cpu->mpidr, entry, (uint64_t)cpu);
}

noreturn void arch_power_off(void)
{
	firmware(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		arch_wait();
}

/* A cell's vCPU n has MPIDR n: Aff0 only. */
static uint64_t vcpu_of(uint64_t mpidr)
{
	return mpidr & MPIDR_AFF_MASK & ~0xfful ? ~0ul : mpidr & 0xff;
}

static bool emulates(uint64_t fn)
{
	unsigned int i;

	for (i = 0; i < sizeof(emulated) / sizeof(emulated[0]); i++)
		if (emulated[i] == ((uint32_t)fn & ~SMC64))
			return true;
	return false;
}

bool psci_call(struct percpu *cpu, struct regs *r)
{
	uint32_t fn = (uint32_t)r->x[0];
	long ret;

	if ((fn & PSCI_ID_MASK) != PSCI_VERSION)
		return false;
	switch (fn & ~SMC64) {
	case PSCI_VERSION:
		ret = VERSION_1_0;
		break;
	case PSCI_CPU_ON & ~SMC64:
		ret = vcpu_on(cpu, vcpu_of(r->x[1]), r->x[2], r->x[3]);
		break;
	case PSCI_CPU_OFF:
		vcpu_off(cpu);
	case PSCI_AFFINITY_INFO & ~SMC64:
		ret = r->x[2] ? PSCI_INVALID_PARAMETERS
			      : vcpu_affinity(cpu, vcpu_of(r->x[1]));
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = MIGRATE_NOT_NEEDED;
		break;
	case PSCI_SYSTEM_OFF:
		cell_exit(cpu, 0);
	case PSCI_FEATURES:
		ret = emulates(r->x[1]) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
		break;
	default:
		ret = PSCI_NOT_SUPPORTED;
	}
	r->x[0] = (uint64_t)ret;
	return true;
}
