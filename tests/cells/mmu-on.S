/* SPDX-License-Identifier: MIT */
/*
 * mmu-on: enter the runtime the way a boot loader's `go` does (U-Boot
 * leaves SCTLR_EL2 = 0x1005 and its own page tables), and leave every
 * register it can dirty. Linked at a free RAM address with ld -N and
 * started by QEMU at EL2 as the -kernel ELF; the runtime's ELF is loaded
 * beside it. HYP_ENTRY is where the runtime is loaded and entered
 * (__sph_hyp_pa, from nm).
 *
 * It builds an identity map of the first 4 GiB in 1 GiB blocks (Device
 * below 1 GiB, Normal write-back above) under a 48-bit, four-level layout
 * like U-Boot's (not the runtime's 39-bit one, so a runtime that changes
 * TCR_EL2 with the MMU on walks garbage), turns on the MMU and caches at
 * EL2, points VBAR_EL2 at nothing, sets HCR_EL2 traps, fills x1-x30,
 * V0-V31, FPCR/FPSR and EL1 registers with patterns, unmasks interrupts
 * and branches to the runtime.
 */
	.arch_extension fp
	.arch_extension simd
	.text
	.global	_start
_start:
	adr	x0, table
	adr	x6, level0
	orr	x7, x0, #3		/* table descriptor */
	str	x7, [x6]
	ldr	x2, =0x0040000000000405	/* XN | AF | attr 0 Device | block */
	str	x2, [x0]
	mov	x3, #1
1:	lsl	x4, x3, #30
	mov	x5, #0x705		/* AF | inner shareable | attr 1 | block */
	orr	x4, x4, x5
	str	x4, [x0, x3, lsl #3]
	add	x3, x3, #1
	cmp	x3, #4
	b.lo	1b
	dsb	sy
	ldr	x1, =0xff04		/* attr 0 Device-nGnRE, attr 1 Normal WB */
	msr	mair_el2, x1
	ldr	x1, =0x80823510		/* 48-bit VA from level 0, 40-bit PA */
	msr	tcr_el2, x1
	msr	ttbr0_el2, x6
	isb
	tlbi	alle2
	dsb	sy
	isb
	ldr	x1, =0x30c5183d		/* RES1 | I | SA | C | A | M */
	msr	sctlr_el2, x1
	isb
	ldr	x1, =0xdead0000
	msr	vbar_el2, x1
	ldr	x1, =0x80080038		/* RW | TSC | AMO | IMO | FMO */
	msr	hcr_el2, x1
	isb
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1
	ldr	x1, =0xb007b007b007b007
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	dup	v\v\().2d, x1
	.endr
	mov	x2, #0x1f
	msr	fpsr, x2
	.irp	reg, vbar_el1, tpidr_el1, tpidr_el0, tpidrro_el0, ttbr0_el1, ttbr1_el1, mair_el1, contextidr_el1, elr_el1, far_el1, par_el1, sp_el0, cntv_cval_el0
	msr	\reg, x1
	.endr
	.irp	n, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	mov	x\n, x1
	.endr
	ldr	x0, =HYP_ENTRY
	msr	daifclr, #0xf
	br	x0
	.ltorg

	.balign	4096
level0:	.space	4096
table:	.space	4096
