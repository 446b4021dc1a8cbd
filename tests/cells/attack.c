// SPDX-License-Identifier: MIT
/*
 * attack: one attack on the runtime, chosen at build time with
 * -DATTACK=attack_NAME (tests/qemu/run.py lists them and what must come
 * of each). It waits for the victim's GO (view[0]), attacks, and prints
 * what it got. An attack that must be refused returns 0 when it was, 3
 * when it was not; one that must stop the cell prints "still running" and
 * returns 3 if it comes back. Either way, reaching the end writes
 * NOTE_DONE to `note` so that the victim stops waiting.
 *
 * vCPU 1 powers itself off at once, except where an attack needs it.
 * EL1 exceptions are recovered: the handler counts them, keeps the last
 * ESR_EL1 and skips the instruction (undefined instructions included).
 */
#include "lib/sph.h"
#include "attack.h"

#define SZ_1M 0x100000ul
#define FLOOD_CALLS_MAX 400000ul /* if the victim never answers */
#define EC(esr) ((esr) >> 26 & 0x3f)

void probe_entry(void);
void dirty_state_and_off(void);
int attack_main(void);
int ATTACK(void);

volatile uint64_t el1_faults, el1_last_esr;
static struct entry_state cpu_on_state;

/* EL1 vectors: count, remember ESR_EL1, skip the faulting instruction. */
asm(".arch_extension fp\n"
    ".arch_extension simd\n"
    ".balign 0x800\n"
    "recover_vectors:\n"
    ".rept 16\n"
    ".balign 0x80\n"
    "b el1_recover\n"
    ".endr\n"
    "el1_recover:\n"
    "stp x0, x1, [sp, #-16]!\n"
    "adrp x0, el1_faults\n"
    "add x0, x0, :lo12:el1_faults\n"
    "ldr x1, [x0]\n"
    "add x1, x1, #1\n"
    "str x1, [x0]\n"
    "mrs x1, esr_el1\n"
    "str x1, [x0, #8]\n"
    "mrs x1, elr_el1\n"
    "add x1, x1, #4\n"
    "msr elr_el1, x1\n"
    "ldp x0, x1, [sp], #16\n"
    "eret\n"
    /* Leave every register a cell can set dirty, then CPU_OFF. */
    ".global dirty_state_and_off\n"
    "dirty_state_and_off:\n"
    "mov x1, #(3 << 20)\n"
    "msr cpacr_el1, x1\n"
    "isb\n"
    "ldr x1, =0xa5a5a5a5dead0001\n"
    ".irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "dup v\\v\\().2d, x1\n"
    ".endr\n"
    "mov x2, #0x1f\n"
    "msr fpsr, x2\n"
    "mov x2, #(1 << 24)\n"
    "msr fpcr, x2\n"
    ".irp reg, ttbr0_el1, ttbr1_el1, mair_el1, amair_el1, contextidr_el1, tpidr_el0, tpidr_el1, tpidrro_el0, elr_el1, esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1, cntv_cval_el0, cntp_cval_el0, sp_el0\n"
    "msr \\reg, x1\n"
    ".endr\n"
    "mov x2, #0x3c5\n"
    "msr spsr_el1, x2\n"
    "mov x2, #0x1234\n"
    "msr tcr_el1, x2\n"
    "mov x2, #3\n"
    "msr cntkctl_el1, x2\n"
    "mov x2, #2\n"
    "msr csselr_el1, x2\n"
    "mov x2, #2\n" /* IMASK: enabled, masked */
    "msr cntv_ctl_el0, x2\n"
    "msr cntp_ctl_el0, x2\n"
    "ldr x2, =0x30d00818\n" /* + SA, SA0 */
    "msr sctlr_el1, x2\n"
    "ldr x2, =0x40000\n"
    "msr vbar_el1, x2\n"
    "msr daifclr, #0xc\n" /* D and A unmasked (I and F: no stray IRQ) */
    "msr spsel, #0\n"
    "isb\n"
    "ldr x0, =0x84000002\n"
    "smc #0\n"
    "b .\n");

static void install_vectors(void)
{
	extern char recover_vectors[];

	asm volatile("msr vbar_el1, %0; isb" : : "r"(recover_vectors));
}

static int refused(const char *what, long got, long want)
{
	printf("%s: %ld (%s)\n", what, got, got == want ? "refused" : "WRONG");
	return got == want ? 0 : 3;
}

static int still_running(void)
{
	printf("still running: the runtime did not stop me\n");
	return 3;
}

/* Hypercalls with a buffer the cell does not own: -2 (SPH_HC_INVALID). */
static int bad_buffer(const char *where, uint64_t ipa)
{
	int bad = 0;

	printf("buffers at %s (0x%lx)\n", where, ipa);
	bad |= refused("console write",
		       sph_hvc(SPH_HC_CONSOLE_WRITE, ipa, 16, 0),
		       SPH_HC_INVALID);
	bad |= refused("cell name", sph_hvc(SPH_HC_CELL_NAME, ipa, 16, 0),
		       SPH_HC_INVALID);
	return bad;
}

int attack_hc_victim(void)
{
	return bad_buffer("the victim's RAM", CELL_VICTIM_MEM0_BASE);
}

int attack_hc_hypervisor(void)
{
	return bad_buffer("the hypervisor", SPH_HYP_BASE);
}

int attack_hc_blob(void)
{
	return bad_buffer("the system blob", SPH_BLOB_BASE);
}

int attack_hc_uart(void)
{
	return bad_buffer("the UART", 0x09000000);
}

int attack_hc_gicd(void)
{
	return bad_buffer("the GIC distributor", CELL_ATTACKER_GICD_BASE);
}

int attack_hc_ipa0(void)
{
	return bad_buffer("IPA 0", 0);
}

int attack_hc_ipa_limit(void)
{
	return bad_buffer("IPA 2^40", 1ul << 40) |
	       bad_buffer("the last page before 2^64", ~0ul - 0xfff);
}

int attack_sgi(void)
{
	printf("SGIs to CPUs outside the cell (Aff1 = 1, vCPU 2)\n");
	asm volatile("msr s3_0_c12_c11_5, %0; isb" : : "r"(0x10001ul));
	asm volatile("msr s3_0_c12_c11_5, %0; isb" : : "r"(0x4ul));
	return 0;
}

int attack_asgi(void)
{
	printf("writing ICC_ASGI1R_EL1\n");
	asm volatile("msr s3_0_c12_c11_6, %0" : : "r"(0x10001ul));
	return still_running();
}

/* Plain loads and stores: the runtime emulates only accesses that report
 * their register (ESR ISV); a pair or a write-back stops the cell. */
static void w32(uint64_t a, uint32_t v)
{
	asm volatile("str %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static void w64(uint64_t a, uint64_t v)
{
	asm volatile("str %0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static uint32_t r32(uint64_t a)
{
	uint32_t v;

	asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/* Every SPI of the distributor: enabled, pending, top priority, routed
 * here. The attacker owns none, so all of it reads back as zero. */
int attack_gicd(void)
{
	uint64_t gicd = CELL_ATTACKER_GICD_BASE;
	uint32_t seen = 0;
	unsigned int i;

	for (i = 1; i < 32; i++) {
		w32(gicd + 0x100 + 4 * i, ~0u);
		w32(gicd + 0x200 + 4 * i, ~0u);
		w32(gicd + 0x300 + 4 * i, ~0u);
	}
	for (i = 8; i < 255; i++)
		w32(gicd + 0x400 + 4 * i, 0);
	for (i = 32; i < 1020; i++)
		w64(gicd + 0x6000 + 8ul * i, 0);
	for (i = 1; i < 32; i++)
		seen |= r32(gicd + 0x100 + 4 * i) | r32(gicd + 0x200 + 4 * i);
	printf("GICD_TYPER 0x%x, PIDR2 0x%x; SPIs enabled or pending: 0x%x\n",
	       r32(gicd + 4), r32(gicd + 0xffe8), seen);
	return seen ? 3 : 0;
}

#ifdef CELL_ATTACKER_GICR_BASE
int attack_gicr_other(void)
{
	printf("reading the GICR_TYPER of a third redistributor\n");
	(void)*(volatile uint64_t *)(CELL_ATTACKER_GICR_BASE +
				     2 * CELL_ATTACKER_GICR_STRIDE + 8);
	return still_running();
}
#endif

#ifdef GICH
/* GICv2: a list register of the hypervisor interface (the board's GICH,
 * which no cell maps): an interrupt injected into itself, or worse. */
int attack_gich(void)
{
	printf("writing GICH_LR0 at 0x%lx\n", (uint64_t)GICH + 0x100);
	*(volatile uint32_t *)(GICH + 0x100) = 0x9000001bu;
	return still_running();
}
#endif

int attack_psci_other_cpu(void)
{
	/* The cell has vCPUs 0 and 1: MPIDR 2 and 3 are the others' CPUs. */
	return refused("CPU_ON of MPIDR 2",
		       sph_smc(PSCI_CPU_ON, 2, CELL_ATTACKER_ENTRY, 0),
		       PSCI_INVALID_PARAMETERS) |
	       refused("CPU_ON of MPIDR 0x100",
		       sph_smc(PSCI_CPU_ON, 0x100, CELL_ATTACKER_ENTRY, 0),
		       PSCI_INVALID_PARAMETERS) |
	       refused("AFFINITY_INFO of MPIDR 3",
		       sph_smc(PSCI_AFFINITY_INFO, 3, 0, 0),
		       PSCI_INVALID_PARAMETERS);
}

int attack_cpu_on_outside(void)
{
	return refused("CPU_ON with an entry in the victim",
		       sph_smc(PSCI_CPU_ON, 1, CELL_VICTIM_MEM0_BASE, 0),
		       PSCI_INVALID_ADDRESS) |
	       refused("CPU_ON with an entry in the hypervisor",
		       sph_smc(PSCI_CPU_ON, 1, SPH_HYP_BASE, 0),
		       PSCI_INVALID_ADDRESS) |
	       refused("CPU_ON with an entry in a read-only shared region",
		       sph_smc(PSCI_CPU_ON, 1, VIEW, 0), PSCI_INVALID_ADDRESS);
}

int attack_system_off(void)
{
	printf("PSCI SYSTEM_OFF\n");
	sph_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
	return still_running();
}

int attack_jump(void)
{
	printf("jumping into the victim\n");
	((void (*)(void))CELL_VICTIM_MEM0_BASE)();
	return still_running();
}

int attack_dc_zva_read_only(void)
{
	printf("DC ZVA on the read-only shared page\n");
	asm volatile("dc zva, %0" : : "r"(VIEW) : "memory");
	return still_running();
}

int attack_el2_registers(void)
{
	uint64_t v = 0x1234;

	asm volatile("mrs %0, hcr_el2" : "+r"(v));
	printf("MRS HCR_EL2: %lu EL1 exception(s), EC 0x%lx, value 0x%lx\n",
	       el1_faults, EC(el1_last_esr), v);
	asm volatile("tlbi alle2" : : : "memory");
	asm volatile("msr vttbr_el2, %0" : : "r"(0ul));
	printf("TLBI ALLE2, MSR VTTBR_EL2: %lu EL1 exception(s), EC 0x%lx\n",
	       el1_faults, EC(el1_last_esr));
	return el1_faults == 3 && EC(el1_last_esr) == 0 && v == 0x1234 ? 0 : 3;
}

/*
 * The trace unit's system registers (TRCPRGCTLR, TRCCONFIGR): trapped by
 * CPTR_EL2.TTA and read as zero, or UNDEFINED at EL1 where the CPU has no
 * system-register trace unit (QEMU models none). Either way the cell goes
 * on, and nothing it wrote reads back.
 */
int attack_trace(void)
{
	uint64_t prg = 1, cfg = 1;

	asm volatile("msr s2_1_c0_c1_0, %0" : : "r"(1ul)); /* TRCPRGCTLR.EN */
	asm volatile("msr s2_1_c0_c4_0, %0" : : "r"(0x18ul)); /* TRCCONFIGR */
	asm volatile("mrs %0, s2_1_c0_c1_0" : "+r"(prg));
	asm volatile("mrs %0, s2_1_c0_c4_0" : "+r"(cfg));
	printf("trace: %lu EL1 exception(s), EC 0x%lx; TRCPRGCTLR 0x%lx, "
	       "TRCCONFIGR 0x%lx\n",
	       el1_faults, EC(el1_last_esr), prg, cfg);
	if (el1_faults == 4 && EC(el1_last_esr) == 0)
		return 0; /* UNDEFINED: the values stay what they were */
	return el1_faults == 0 && prg == 0 && cfg == 0 ? 0 : 3;
}

/* Semihosting: HLT #0xF000, operation in w0, parameter block in x1. */
static long semihost(uint64_t op, const void *arg)
{
	register uint64_t x0 asm("x0") = op;
	register const void *x1 asm("x1") = arg;

	asm volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return (long)x0;
}

int attack_semihosting(void)
{
	static const char forged[] = "sph: exit status 0\n";
	static const char file[] = HOST_FILE;
	static const char cmd[] = "touch " HOST_FILE ".system";
	uint64_t open_block[3] = { (uint64_t)file, 4 /* "w" */,
				   sizeof(file) - 1 };
	uint64_t system_block[2] = { (uint64_t)cmd, sizeof(cmd) - 1 };
	uint64_t write_block[3] = { 0, (uint64_t)forged, sizeof(forged) - 1 };
	uint64_t exit_block[2] = { 0x20026, 0 };
	long fd;

	semihost(0x04, forged);		 /* SYS_WRITE0 */
	fd = semihost(0x01, open_block); /* SYS_OPEN */
	write_block[0] = (uint64_t)fd;
	semihost(0x05, write_block);  /* SYS_WRITE */
	semihost(0x12, system_block); /* SYS_SYSTEM */
	semihost(0x18, exit_block);   /* SYS_EXIT */
	printf("5 semihosting calls: %lu EL1 exception(s), EC 0x%lx\n",
	       el1_faults, EC(el1_last_esr));
	return el1_faults == 5 && EC(el1_last_esr) == 0 ? 0 : 3;
}

int attack_forge(void)
{
	static const char text[] = "\nsph: exit status 0\n"
				   "\rsph: cell victim stopped: forged\n"
				   "\x1b[2Jcleared \x07 bell\n";

	console_write(text, sizeof(text) - 1);
	sph_hvc(SPH_HC_CONSOLE_PUTC, '\r', 0, 0);
	console_write("sph: all cells have ended\n", 26);
	return 0;
}

int attack_flood(void)
{
	volatile uint64_t *view = (volatile uint64_t *)VIEW;
	volatile uint64_t *note = (volatile uint64_t *)NOTE;
	static char line[SPH_CONSOLE_WRITE_MAX];
	unsigned long calls = 0;
	unsigned int i;

	for (i = 0; i < sizeof(line); i++)
		line[i] = i == sizeof(line) - 1 ? '\n' : 'A' + i % 26;
	/* Past the burst first, then flood while the victim measures. */
	for (; calls < 4000; calls++)
		sph_hvc(SPH_HC_CONSOLE_WRITE, (uint64_t)line, sizeof(line), 0);
	note[0] = NOTE_FLOODING;
	send_event();
	while (view[0] != MEASURED && calls < FLOOD_CALLS_MAX) {
		sph_hvc(SPH_HC_CONSOLE_WRITE, (uint64_t)line, sizeof(line), 0);
		sph_hvc(SPH_HC_CONSOLE_PUTC, 'x', 0, 0);
		calls++;
	}
	printf("flooded with %lu calls\n", calls);
	return 0;
}

static void clean_invalidate_by_set_way(void)
{
	uint64_t clidr, ccsidr, level, sets, ways, set, way, line, wshift;

	asm volatile("mrs %0, clidr_el1" : "=r"(clidr));
	for (level = 0; level < 7; level++) {
		if (((clidr >> (3 * level)) & 7) < 2)
			continue; /* no data or unified cache at this level */
		asm volatile("msr csselr_el1, %0; isb; mrs %1, ccsidr_el1"
			     : "=r"(ccsidr)
			     : "r"(level << 1));
		line = (ccsidr & 7) + 4;
		ways = ((ccsidr >> 3) & 0x3ff) + 1;
		sets = ((ccsidr >> 13) & 0x7fff) + 1;
		wshift = (uint64_t)__builtin_clz((uint32_t)(ways - 1));
		for (way = 0; way < ways; way++)
			for (set = 0; set < sets; set++)
				asm volatile("dc cisw, %0"
					     :
					     : "r"(way << wshift | set << line |
						   level << 1)
					     : "memory");
	}
	asm volatile("dsb sy; isb" : : : "memory");
}

int attack_set_way(void)
{
	uint64_t isw = 0;

	clean_invalidate_by_set_way();
	asm volatile("dc isw, %0; dc csw, %0" : : "r"(isw) : "memory");
	printf("cleaned and invalidated every cache level by set/way\n");
	return 0;
}

int attack_pmu(void)
{
	uint64_t pmcr = 0x5, cycles = 1, i;

	asm volatile("msr pmccfiltr_el0, %0" : : "r"(1ul << 27)); /* NSH */
	asm volatile("msr pmcntenset_el0, %0" : : "r"(1ul << 31));
	asm volatile("msr pmcr_el0, %0; isb" : : "r"(pmcr));
	for (i = 0; i < 1000; i++)
		sph_hvc(SPH_HC_CELL_ID, 0, 0, 0);
	asm volatile("mrs %0, pmccntr_el0" : "=r"(cycles));
	asm volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
	printf("PMCCNTR_EL0 after 1000 hypercalls: %lu, PMCR_EL0 0x%lx\n",
	       cycles, pmcr);
	return cycles == 0 && pmcr == 0 ? 0 : 3;
}

int attack_debug(void)
{
	uint64_t bvr = 0, bcr = 0, wvr = 0, wcr = 0, mdscr = 1, oslsr = 1;

	asm volatile("msr dbgbvr0_el1, %0" : : "r"(SPH_HYP_BASE));
	asm volatile("msr dbgbcr0_el1, %0" : : "r"(0x1e7ul)); /* EL2 match */
	/* A watchpoint on the blob's first 8 bytes, loads and stores. */
	asm volatile("msr dbgwvr0_el1, %0" : : "r"(SPH_BLOB_BASE));
	asm volatile("msr dbgwcr0_el1, %0" : : "r"(0x1ff7ul));
	asm volatile("msr mdscr_el1, %0; isb" : : "r"(1ul << 15)); /* MDE */
	asm volatile("msr oslar_el1, %0; isb" : : "r"(1ul));	   /* OS lock */
	asm volatile("mrs %0, dbgbvr0_el1" : "=r"(bvr));
	asm volatile("mrs %0, dbgbcr0_el1" : "=r"(bcr));
	asm volatile("mrs %0, dbgwvr0_el1" : "=r"(wvr));
	asm volatile("mrs %0, dbgwcr0_el1" : "=r"(wcr));
	asm volatile("mrs %0, mdscr_el1" : "=r"(mdscr));
	asm volatile("mrs %0, oslsr_el1" : "=r"(oslsr));
	printf("DBGBVR0 0x%lx, DBGBCR0 0x%lx, DBGWVR0 0x%lx, DBGWCR0 0x%lx, "
	       "MDSCR 0x%lx, OSLSR 0x%lx\n",
	       bvr, bcr, wvr, wcr, mdscr, oslsr);
	sph_hvc(SPH_HC_CELL_ID, 0, 0, 0); /* through EL2: no breakpoint */
	return bvr | bcr | wvr | wcr | mdscr | oslsr ? 3 : 0;
}

/*
 * ACTLR_EL1 traps through HCR_EL2.TACR. The cortex-a53's L2CTLR_EL1 and
 * CPUACTLR_EL1 trap through HCR_EL2.TIDCP on hardware, but QEMU 7.2 does
 * not implement that trap (it came in QEMU 8.0): this payload reports
 * what it reads and the test checks ACTLR_EL1 only.
 */
int attack_impdef(void)
{
	uint64_t l2ctlr = 1, actlr = 1;

	asm volatile("mrs %0, actlr_el1" : "=r"(actlr));
	asm volatile("msr actlr_el1, %0" : : "r"(~0ul));
	asm volatile("mrs %0, s3_1_c11_c0_2" : "=r"(l2ctlr)); /* L2CTLR */
	asm volatile("msr s3_1_c15_c2_0, %0" : : "r"(0ul));   /* CPUACTLR */
	printf("ACTLR_EL1 0x%lx; L2CTLR_EL1 0x%lx (QEMU 7.2 ignores TIDCP)\n",
	       actlr, l2ctlr);
	return actlr == 0 ? 0 : 3;
}

int attack_dirty_vcpu(void)
{
	long ret;

	/* vCPU 1 left every register dirty before CPU_OFF (see main). */
	while (sph_smc(PSCI_AFFINITY_INFO, 1, 0, 0) != 1)
		;
	ret = sph_smc(PSCI_CPU_ON, 1, (uint64_t)probe_entry,
		      (uint64_t)&cpu_on_state);
	printf("CPU_ON of vCPU 1 at the probe: %ld\n", ret);
	while (!*(volatile uint64_t *)&cpu_on_state.done)
		;
	return entry_state_check(&cpu_on_state, (uint64_t)&cpu_on_state,
				 "CPU_ON after a dirty CPU_OFF")
		       ? 3
		       : 0;
}

int attack_main(void)
{
	return ATTACK();
}

int main(uint64_t dtb, unsigned int vcpu);

int main(uint64_t dtb, unsigned int vcpu)
{
	volatile uint64_t *view = (volatile uint64_t *)VIEW;
	volatile uint64_t *note = (volatile uint64_t *)NOTE;
	int status;

	(void)dtb;
	if (vcpu == 1) {
		if (ATTACK == attack_dirty_vcpu)
			dirty_state_and_off();
		sph_smc(PSCI_CPU_OFF, 0, 0, 0);
	}
	install_vectors();
	while (view[0] != GO)
		wait_event();
	note[0] = NOTE_STARTED;
	send_event();
	status = attack_main();
	note[0] = NOTE_DONE;
	send_event();
	return status;
}
