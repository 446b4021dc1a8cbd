/* SPDX-License-Identifier: MIT */
/*
 * A cell's side of the GICv3 for the interrupt tests: the CPU interface
 * (ICC_* system registers, which the runtime redirects to the virtual
 * one), the emulated distributor and redistributor at the addresses of
 * the cell's header, and an EL1 IRQ vector that calls irq_handler().
 */
#ifndef TEST_GIC_H
#define TEST_GIC_H

#include <stdint.h>

/* gic_setup - install the vectors, unmask the CPU interface (PMR, group
 * 1) and PSTATE.I of the calling vCPU. @gicd/@gicr: the cell's frames. */
void gic_setup(uint64_t gicd, uint64_t gicr, uint64_t gicr_stride);

/* gic_enable - enable @intid at @prio for vCPU @vcpu (SGI/PPI: its
 * redistributor; SPI: the distributor, routed to @vcpu). */
void gic_enable(unsigned int intid, uint8_t prio, unsigned int vcpu);

/* gic_pend - set SPIs pending through GICD_ISPENDR (@bits of the 32
 * INTIDs from @first, a multiple of 32). */
void gic_pend(unsigned int first, uint32_t bits);

/* gic_sgi - send SGI @intid to the vCPUs in @targets (a bit each). */
void gic_sgi(unsigned int intid, uint16_t targets);

uint32_t gicd_read(unsigned int offset);
void gicd_write(unsigned int offset, uint32_t v);
uint64_t gicd_read64(unsigned int offset);
void gicd_write64(unsigned int offset, uint64_t v);
uint8_t gicd_read8(unsigned int offset);
void gicd_write8(unsigned int offset, uint8_t v);

/* Called with the acknowledged INTID; the vector then ends it (EOIR). */
void irq_handler(unsigned int intid);

uint64_t counter(void);
uint64_t counter_freq(void);

#endif
