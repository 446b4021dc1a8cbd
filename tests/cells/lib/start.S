/* SPDX-License-Identifier: MIT */
/*
 * Entry of a test payload, for every vCPU: x0 = the DTB (or the context of
 * a PSCI CPU_ON). vCPU n (MPIDR_EL1.Aff0) takes the n-th stack of the
 * sphc-generated linker script; vCPU 0 clears .bss while the others wait.
 * Then main(x0, n); its return value is the cell's exit status.
 */
	.section .text.boot, "ax"
	.global _start
_start:
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
