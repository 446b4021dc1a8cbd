/* SPDX-License-Identifier: MIT */
/*
 * A dom0less domU for the Xen boot test: an arm64 Image (the header Xen's
 * kernel loader looks for) that writes the NUL-terminated line appended
 * to its binary to Xen's virtual PL011 and then waits. Position
 * independent: Xen copies it to the start of the guest's RAM.
 */
#define VPL011_BASE 0x22000000 /* GUEST_PL011_BASE, public/arch-arm.h */
#define UARTFR 0x18
#define UARTFR_TXFF_BIT 5

	.section .text
	.global _start
_start:
	b	code			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	0x10000			/* image_size */
	.quad	0xa			/* flags: LE, 4K pages, anywhere */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */
code:
	mov	x1, #VPL011_BASE
	adr	x2, line
next:
	ldrb	w3, [x2], #1
	cbz	w3, done
busy:
	ldr	w4, [x1, #UARTFR]
	tbnz	w4, #UARTFR_TXFF_BIT, busy
	str	w3, [x1]
	b	next
done:
	wfi
	b	done
	.balign	8
line:	/* the test appends the line here */
