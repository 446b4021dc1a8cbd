/* SPDX-License-Identifier: MIT */
/* System register access and the EL2 configuration values used. */
#ifndef ASM_SYSREGS_H
#define ASM_SYSREGS_H

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#include <stdint.h>
#define UL(x) x##ul
#endif

#define read_sysreg(r)                                                         \
	({                                                                     \
		uint64_t __v;                                                  \
		asm volatile("mrs %0, " #r : "=r"(__v));                       \
		__v;                                                           \
	})
#define write_sysreg(r, v)                                                     \
	asm volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define isb() asm volatile("isb" : : : "memory")
#define dsb(opt) asm volatile("dsb " #opt : : : "memory")

/*
 * Cells run at EL1 in AArch64; IRQ/FIQ/SError come to EL2; SMC traps, and
 * so do what reaches beyond the cell: cache maintenance by set/way (TSW),
 * implementation-defined registers (TIDCP) and ACTLR_EL1 (TACR). TVM is
 * set per vCPU while set/way maintenance is being emulated (sysreg.c).
 */
#define HCR_VM (1ul << 0)
#define HCR_FMO (1ul << 3)
#define HCR_IMO (1ul << 4)
#define HCR_AMO (1ul << 5)
#define HCR_TSC (1ul << 19)
#define HCR_TIDCP (1ul << 20)
#define HCR_TACR (1ul << 21)
#define HCR_TSW (1ul << 22)
#define HCR_TVM (1ul << 26)
#define HCR_RW (1ul << 31)
#define HCR_CELL                                                               \
	(HCR_VM | HCR_FMO | HCR_IMO | HCR_AMO | HCR_TSC | HCR_TIDCP |          \
	 HCR_TACR | HCR_TSW | HCR_RW)

/*
 * Cells get no PMU, debug or OS-lock registers (they read as zero,
 * sysreg.c): a cell must not count or observe EL2, nor set breakpoints or
 * watchpoints. HPMN keeps every counter in the range EL2 may count with.
 */
#define MDCR_TPMCR (1ul << 5)
#define MDCR_TPM (1ul << 6)
#define MDCR_TDA (1ul << 9)
#define MDCR_TDOSA (1ul << 10)
#define MDCR_TDRA (1ul << 11)
#define MDCR_CELL (MDCR_TPMCR | MDCR_TPM | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA)
#define PMCR_N(pmcr) (((pmcr) >> 11) & 0x1f)

/* Stage 2: 39-bit IPA (T0SZ 25), 4K granule, walk from level 1 (one
 * table), write-back inner-shareable walks, 40-bit PA. */
#define VTCR_CELL 0x80023559ul

/* Hypervisor stage 1 at EL2: 39-bit VA from level 1 (1 GiB blocks),
 * write-back inner-shareable walks, 40-bit PA; MAIR attr0 Device-nGnRE,
 * attr1 Normal write-back. */
#define TCR_EL2_HYP UL(0x80823519)
#define MAIR_EL2_HYP UL(0xff04)
#define SCTLR_EL2_HYP UL(0x30c51835) /* RES1 | I | C | M */

/* RES1, and trace registers trapped (TTA); FP/SIMD is the cell's. */
#define CPTR_EL2_CELL (0x33fful | 1ul << 20)
#define CNTHCTL_EL1_TIMER 0x3ul	     /* EL1 may use the physical timer */
#define SCTLR_EL1_RESET 0x30d00800ul /* RES1, MMU and caches off */
#define SCTLR_EL1_C (1ul << 2)
#define SPSR_EL1H 0x3c5ul /* EL1h, DAIF masked */

#define MPIDR_AFF_MASK 0xff00fffffful
#define MPIDR_AFF(m, n) ((m) >> ((n) == 3 ? 32 : 8 * (n)) & 0xff)
#define MPIDR_VCPU(n) ((1ul << 31) | (n))

#define ESR_EC(esr) ((unsigned int)((esr) >> 26) & 0x3f)
#define ESR_ISS(esr) ((esr)&0x1ffffff)
#define ESR_IL (1ul << 25)
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYSREG 0x18
#define EC_IABT_LOW 0x20
#define EC_DABT_LOW 0x24
#define ESR_WNR (1ul << 6)
#define ESR_ISV (1ul << 24)
#define ESR_SAS(esr) ((unsigned int)((esr) >> 22) & 3)
#define ESR_SRT(esr) ((unsigned int)((esr) >> 16) & 0x1f)
#define ESR_FSC(esr) ((unsigned int)(esr)&0x3f)
#define HPFAR_FIPA 0xffffffffff0ul

#endif
