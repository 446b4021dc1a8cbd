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

/* gic_setup_v2 - the same on a GICv2: @gicc is the cell's CPU interface
 * (the virtual one the runtime maps there). */
void gic_setup_v2(uint64_t gicd, uint64_t gicc);

/* gic_enable - enable @intid at @prio for vCPU @vcpu (SGI/PPI: its
 * redistributor; SPI: the distributor, routed to @vcpu). */
void gic_enable(unsigned int intid, uint8_t prio, unsigned int vcpu);

/* gic_pend - set SPIs pending through GICD_ISPENDR (@bits of the 32
 * INTIDs from @first, a multiple of 32). */
void gic_pend(unsigned int first, uint32_t bits);

/* gic_sgi - send SGI @intid to the vCPUs in @targets (a bit each). */
void gic_sgi(unsigned int intid, uint16_t targets);

/* gic_sgi_elsewhere - send SGI @intid to a CPU outside any test cell. */
void gic_sgi_elsewhere(unsigned int intid);

/* gic_route - the vCPU SPI @intid targets, as read back (GICv3:
 * IROUTER; GICv2: the lowest ITARGETSR bit, 0xff for none);
 * gic_set_route sets it to vCPU @vcpu. */
uint64_t gic_route(unsigned int intid);
void gic_set_route(unsigned int intid, unsigned int vcpu);

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
