/* SPDX-License-Identifier: MIT */
/*
 * Entry of a test payload, for every vCPU: x0 = the DTB (or the context of
 * a PSCI CPU_ON). vCPU n (MPIDR_EL1.Aff0) takes the n-th stack of the
 * sphc-generated linker script; vCPU 0 clears .bss while the others wait.
 * Then main(x0, n); its return value is the cell's exit status.
 */
	.arch_extension fp
	.arch_extension simd

/*
 * Save the entry state into the struct entry_state at x0: x0 itself is
 * stored by the caller. sys[] in the order of state_names (lib/sph.c),
 * ending with PSTATE (DAIF, CurrentEL, SPSel), which nothing before
 * changes;
 * FP/SIMD needs CPACR_EL1.FPEN, set after CPACR_EL1 itself was saved.
 */
.macro	save_state
	stp	x1, x2, [x0, #8]
	stp	x3, x4, [x0, #24]
	stp	x5, x6, [x0, #40]
	stp	x7, x8, [x0, #56]
	stp	x9, x10, [x0, #72]
	stp	x11, x12, [x0, #88]
	stp	x13, x14, [x0, #104]
	stp	x15, x16, [x0, #120]
	stp	x17, x18, [x0, #136]
	stp	x19, x20, [x0, #152]
	stp	x21, x22, [x0, #168]
	stp	x23, x24, [x0, #184]
	stp	x25, x26, [x0, #200]
	stp	x27, x28, [x0, #216]
	stp	x29, x30, [x0, #232]
	add	x1, x0, #248
	.irp	reg, sp_el0, sctlr_el1, ttbr0_el1, ttbr1_el1, tcr_el1, mair_el1, amair_el1, vbar_el1, contextidr_el1, tpidr_el0, tpidr_el1, tpidrro_el0, elr_el1, spsr_el1, esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1, cpacr_el1, cntkctl_el1, cntv_ctl_el0, cntv_cval_el0, cntp_ctl_el0, cntp_cval_el0, csselr_el1
	mrs	x2, \reg
	str	x2, [x1], #8
	.endr
	mov	x2, sp
	str	x2, [x1], #8
	mov	x2, #(3 << 20)
	msr	cpacr_el1, x2
	isb
	mrs	x2, fpcr
	str	x2, [x1], #8
	mrs	x2, fpsr
	str	x2, [x1], #8
	.irp	reg, daif, currentel, spsel
	mrs	x2, \reg
	str	x2, [x1], #8
	.endr
	stp	q0, q1, [x1], #32
	stp	q2, q3, [x1], #32
	stp	q4, q5, [x1], #32
	stp	q6, q7, [x1], #32
	stp	q8, q9, [x1], #32
	stp	q10, q11, [x1], #32
	stp	q12, q13, [x1], #32
	stp	q14, q15, [x1], #32
	stp	q16, q17, [x1], #32
	stp	q18, q19, [x1], #32
	stp	q20, q21, [x1], #32
	stp	q22, q23, [x1], #32
	stp	q24, q25, [x1], #32
	stp	q26, q27, [x1], #32
	stp	q28, q29, [x1], #32
	stp	q30, q31, [x1], #32
.endm

	.section .text.boot, "ax"
	.global _start
_start:
#ifdef ENTRY_PROBE
	/* The DTB waits in SP (SP_EL1 cannot be checked from here). */
	mov	sp, x0
	adr	x0, boot_entry_state
	save_state
	mov	x1, sp
	str	x1, [x0]
	str	xzr, [x0, #(31 + 26) * 8]	/* the "SP" slot held the DTB */
	mov	x0, x1
	msr	cpacr_el1, xzr
#endif
	mov	x20, x0
	mrs	x19, mpidr_el1
	and	x19, x19, #0xff
	ldr	x1, =__stack_top
	ldr	x2, =__stack_size
	msub	x1, x2, x19, x1
	mov	sp, x1
	adr	x1, vectors
	msr	vbar_el1, x1
	isb
	ldr	x1, =bss_ready
	cbnz	x19, 3f
	ldr	x2, =__bss_start
	ldr	x3, =__bss_end
1:	cmp	x2, x3
	b.hs	2f
	str	xzr, [x2], #8
	b	1b
2:	mov	w2, #1
	str	w2, [x1]
	dsb	sy
	sev
3:	ldr	w2, [x1]
	cbnz	w2, 4f
	wfe
	b	3b
4:	mov	x0, x20
	mov	x1, x19
	bl	main
	bl	sph_exit

	.text
/* A PSCI CPU_ON entry: x0 = a struct entry_state to fill. Powers off. */
	.global	probe_entry
probe_entry:
	str	x0, [x0]
	save_state
	mov	x1, #1
	str	x1, [x0, #(31 + 32 + 64) * 8]
	dsb	sy
	sev
	ldr	x0, =0x84000002		/* PSCI CPU_OFF */
	smc	#0
	b	.

	.balign	0x800
vectors:
	.rept	16
	.balign	0x80
	b	el1_exception
	.endr

	.data
	.balign	4
bss_ready:
	.word	0
	.balign	16
	.global	boot_entry_state
boot_entry_state:
	.space	(31 + 32 + 64 + 1) * 8
