/* SPDX-License-Identifier: MIT */
/*
 * Entry points, exception vectors and the trap frame.
 *
 * _start: CPU0 from QEMU's ELF loader, at EL2 with the MMU off.
 * secondary_entry: every other CPU, powered on with PSCI CPU_ON, x0 =
 * its struct percpu (whose first field is its stack top).
 * Each trap from a cell saves a struct regs on the CPU's stack, calls a C
 * handler with it, restores it and returns with ERET.
 */
#include <asm/sysregs.h>
#include <asm/traps.h>

	.arch_extension fp
	.arch_extension simd

	.section .text.boot, "ax"
/*
 * The arm64 Linux Image header (Documentation/arm64/booting.rst), so that
 * boot loaders start the runtime the documented way (U-Boot's booti and
 * bootm, UEFI-less): MMU and caches off, x0 = a device tree (unused).
 * text_offset 0 and flag bit 3 (any 2 MiB-aligned base): the image stays
 * at its link address, the hypervisor's memory, whose size image_size
 * claims.
 */
	.global _start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	__hyp_image_size	/* image_size */
	.quad	0xa			/* little-endian, 4K pages, anywhere */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* no PE/COFF header */

primary_entry:
	msr	daifset, #0xf
	bl	el2_reset
	adr	x1, boot_stack_top	/* in this page: see relocate.c */
	mov	sp, x1
	adr	x0, _start
	bl	hyp_relocate		/* x0: the root table */
	bl	mmu_on
	ldr	x1, =primary_mapped
	br	x1
primary_mapped:				/* at the window address from here */
	adr	x1, vectors
	msr	vbar_el2, x1
	adrp	x1, boot_stack
	add	x1, x1, :lo12:boot_stack
	mov	x2, #STACK_SIZE
	add	sp, x1, x2
	bl	hyp_boot

	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	bl	el2_reset
	ldr	x0, boot_info		/* boot_info.ttbr, as loaded */
	bl	mmu_on
	ldr	x1, =secondary_mapped
	br	x1
secondary_mapped:
	adr	x1, vectors
	msr	vbar_el2, x1
	ldr	x1, [x19]
	mov	sp, x1
	mov	x0, x19
	bl	hyp_secondary

/*
 * Turn the MMU on with the root table at x0 (a physical address). The
 * next instruction is fetched through it: this page is mapped executable
 * at its own address (relocate.c), so the caller goes on here, then
 * branches to its window address.
 */
mmu_on:
	ldr	x1, =MAIR_EL2_HYP
	msr	mair_el2, x1
	ldr	x1, =TCR_EL2_HYP
	msr	tcr_el2, x1
	msr	ttbr0_el2, x0
	isb
	tlbi	alle2
	ic	iallu			/* the code just moved */
	dsb	nsh
	isb
	ldr	x1, =SCTLR_EL2_HYP
	msr	sctlr_el2, x1
	isb
	ret

/* Written by hyp_relocate() (struct boot_info, asm/boot.h). */
	.balign	8
	.global	boot_info
boot_info:
	.quad	0, 0, 0, 0

	.ltorg
/* hyp_relocate()'s stack, while the MMU is off. */
	.balign	16
boot_stack_bottom:
	.skip	512
boot_stack_top:

/*
 * Bring EL2 to a known state from whatever a boot loader left: with its
 * MMU and caches on (U-Boot's `go`), its vectors, VHE (HCR_EL2.E2H) or
 * traps. The boot loader's map must be VA = PA where the image is. While the
 * MMU is still on, everything the runtime will read with it off (image,
 * bss, pool, blob and boot area) is cleaned and invalidated to the point
 * of coherency, so no dirty line hides what memory holds. x0 is kept.
 */
el2_reset:
	adr	x1, vectors
	msr	vbar_el2, x1
	mrs	x1, sctlr_el2
	tbz	x1, #0, 2f		/* M: the MMU is off already */
	mrs	x2, ctr_el0
	ubfx	x2, x2, #16, #4		/* DminLine: log2(words) */
	mov	x3, #4
	lsl	x2, x3, x2		/* line size in bytes */
	adr	x3, _start		/* where it runs: the load address */
	ldr	x4, =__sph_boot_area_end
	sub	x5, x2, #1
	bic	x3, x3, x5
1:	dc	civac, x3
	add	x3, x3, x2
	cmp	x3, x4
	b.lo	1b
	dsb	sy
2:	ldr	x1, =SCTLR_EL2_OFF
	msr	sctlr_el2, x1		/* MMU, caches and alignment checks off */
	isb
	msr	hcr_el2, xzr		/* no VHE, no traps until a cell runs */
	isb
	ic	iallu
	tlbi	alle2
	dsb	nsh
	isb
	ret

	.text
/*
 * void enter_guest(u64 entry, u64 arg, u64 stack_top): a fresh vCPU. Its
 * general and FP/SIMD registers start at zero (EL1 system registers were
 * set by arch_vcpu_enter), so nothing of the hypervisor, a boot loader or
 * an earlier run of the vCPU leaks into it.
 */
	.global enter_guest
enter_guest:
	mov	sp, x2
	msr	elr_el2, x0
	mov	x0, #0x3c5		/* SPSR_EL1H: EL1h, DAIF masked */
	msr	spsr_el2, x0
	msr	fpcr, xzr
	msr	fpsr, xzr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	movi	v\n\().2d, #0
	.endr
	mov	x0, x1
	.irp	n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	mov	x\n, xzr
	.endr
	eret

.macro ventry handler
	.balign	0x80
	sub	sp, sp, #REGS_SIZE
	stp	x0, x1, [sp]
	adr	x1, \handler
	b	trap_entry
.endm

	.balign	0x800
vectors:
	.rept	8			/* from EL2 itself: a hypervisor bug */
	ventry	hyp_fault
	.endr
	ventry	trap_sync		/* from a cell (AArch64) */
	.balign	0x80			/* IRQ from a cell: the short path */
	sub	sp, sp, #IRQ_FRAME
	stp	x0, x1, [sp]
	b	irq_entry
	ventry	trap_unexpected		/* FIQ */
	ventry	trap_serror
	.rept	4			/* AArch32: cells run AArch64 only */
	ventry	trap_unexpected
	.endr

/*
 * make bench-runtime (SPH_BENCH): read the EL2 instruction counter at the
 * start of a trap (x2 free) and, at its end, file the difference with
 * bench_account() outside the counted window. \extra: the instructions of
 * the path that the two reads miss, less the two of the first read.
 */
.macro	bench_start slot
#ifdef SPH_BENCH
	mrs	x2, pmevcntr0_el0
	str	x2, [sp, #\slot]
#endif
.endm

.macro	bench_end slot, extra
#ifdef SPH_BENCH
	mrs	x0, pmevcntr0_el0
	ldr	x1, [sp, #\slot]
	sub	x1, x0, x1
	add	x1, x1, #\extra
	mrs	x0, tpidr_el2
	bl	bench_account
#endif
.endm

/*
 * IRQ: nothing reads a cell's registers, so only those C may clobber are
 * saved (x0-x18, x29, x30); ELR_EL2 and SPSR_EL2 survive, since EL2 runs
 * with interrupts masked and never erets meanwhile.
 */
irq_entry:
	stp	x2, x3, [sp, #16]
	bench_start 168
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
	bl	trap_irq
	bench_end 168, 15
	ldp	x0, x1, [sp]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	add	sp, sp, #IRQ_FRAME
	eret

trap_entry:
	stp	x2, x3, [sp, #16]
	bench_start 264
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x30, x2, [sp, #240]
	str	x3, [sp, #256]
	mov	x0, sp
	blr	x1

	bench_end 264, 24
	ldp	x30, x2, [sp, #240]
	ldr	x3, [sp, #256]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x0, x1, [sp]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #REGS_SIZE
	eret
