/* SPDX-License-Identifier: MIT */
/*
 * The binary layout of Jailhouse's configurations (its
 * include/jailhouse/cell-config.h, ARM and arm64, revisions 12 to 14): the
 * one definition that the writer (emit.c) and the reader (import.c) both
 * use.
 *
 * The structs carry the names of cell-config.h (jailhouse_system,
 * jailhouse_cell_desc, jailhouse_memory, ...; jailhouse_header,
 * jailhouse_platform and jailhouse_platform_arm are anonymous there). They
 * are never used as C objects on the data: both sides
 * go through JH_SET() and JH_GET(), which take a field's offset and size
 * from them and store or load it little-endian, so the host's byte order
 * and alignment do not matter. Every offset and size either side uses is
 * pinned by a _Static_assert to the value of Jailhouse's own packed
 * structs; a field added in the wrong place does not compile.
 *
 * A system configuration is a struct jailhouse_system whose root_cell is
 * followed by the root cell's arrays; a cell configuration is a struct
 * jailhouse_cell_desc followed by its arrays, in this order:
 *   cpu_set        cpu_set_size bytes, bit n: CPU n
 *   memory         num_memory_regions x struct jailhouse_memory
 *   cache          num_cache_regions x JH_CACHE_SIZE (x86)
 *   irqchips       num_irqchips x struct jailhouse_irqchip
 *   pio            num_pio_regions x JH_PIO_SIZE (x86)
 *   pci_devices    num_pci_devices x JH_PCI_DEVICE_SIZE
 *   pci_caps       num_pci_caps x JH_PCI_CAP_SIZE
 *   stream_ids     num_stream_ids x JH_STREAM_ID_SIZE
 */
#ifndef SPHC_BACKENDS_JAILHOUSE_LAYOUT_H
#define SPHC_BACKENDS_JAILHOUSE_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#define JH_PACKED __attribute__((packed))

/*
 * The first 8 bytes. Revision 14: "JHSYS"/"JHCLL", the architecture, the
 * revision. Revision 13: "JHSYST"/"JHCELL" (the sixth letter where 14 has
 * the architecture), the revision. A root cell inside a system config
 * leaves all 8 bytes zero.
 */
struct jailhouse_header {
	char signature[5];
	uint8_t architecture;
	uint16_t revision;
} JH_PACKED;

struct jailhouse_console {
	uint64_t address;
	uint32_t size;
	uint16_t type;
	uint16_t flags;
	uint32_t divider; /* 0: keep the firmware's baud rate */
	uint32_t gate_nr;
	uint64_t clock_reg;
} JH_PACKED;

struct jailhouse_memory {
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t size;
	uint64_t flags; /* JH_MEM_* */
} JH_PACKED;

/* Up to 128 interrupts from pin_base on, routed to the cell. */
struct jailhouse_irqchip {
	uint64_t address; /* the GIC distributor */
	uint32_t id;	  /* x86 IOAPICs only */
	uint32_t pin_base;
	uint32_t pin_bitmap[4];
} JH_PACKED;

struct jailhouse_cell_desc {
	struct jailhouse_header header;
	char name[32];	/* JH_CELL_NAME_LEN */
	uint32_t id;	/* set by the driver */
	uint32_t flags; /* JH_CELL_* */
	uint32_t cpu_set_size;
	uint32_t num_memory_regions;
	uint32_t num_cache_regions;
	uint32_t num_irqchips;
	uint32_t num_pio_regions;
	uint32_t num_pci_devices;
	uint32_t num_pci_caps;
	uint32_t num_stream_ids;
	uint32_t vpci_irq_base;
	uint64_t cpu_reset_address;
	uint64_t msg_reply_timeout; /* 0: wait forever */
	struct jailhouse_console console;
} JH_PACKED;

struct jailhouse_platform_arm {
	uint8_t maintenance_irq;
	uint8_t gic_version;
	uint8_t padding[2];
	uint64_t gicd_base;
	uint64_t gicc_base;
	uint64_t gich_base;
	uint64_t gicv_base;
	uint64_t gicr_base;
} JH_PACKED;

/*
 * An IOMMU (or TI PVU) that Jailhouse drives; its registers belong to the
 * hypervisor, never to a cell. A unit with size 0 is an unused slot.
 */
struct jailhouse_iommu {
	uint32_t type; /* JH_IOMMU_* */
	uint64_t base;
	uint32_t size;
	uint8_t unit_specific[12]; /* AMD: bdf, caps; TI PVU: TLB base, size */
} JH_PACKED;

#define JH_MAX_IOMMU_UNITS 8

struct jailhouse_platform {
	uint64_t pci_mmconfig_base; /* the virtual PCI host's ECAM */
	uint8_t pci_mmconfig_end_bus;
	uint8_t pci_is_virtual;
	uint16_t pci_domain;
	struct jailhouse_iommu iommu_units[JH_MAX_IOMMU_UNITS];
	struct jailhouse_platform_arm arm;
} JH_PACKED;

struct jailhouse_system {
	struct jailhouse_header header;
	uint32_t flags; /* JH_SYS_* */
	struct jailhouse_memory
		hypervisor_memory; /* phys_start, size are read */
	struct jailhouse_console debug_console;
	struct jailhouse_platform platform_info;
	struct jailhouse_cell_desc root_cell;
} JH_PACKED;

/*
 * Revision 12 (Jailhouse v0.12): the IOMMU units sit inside the
 * architecture's part of platform_info, after the GIC bases, and the ARM
 * part has no padding. Its x86 counterpart is smaller, so the ARM part
 * gives the union's size. Everything else is as in revision 13.
 */
struct jailhouse_platform_arm_rev12 {
	uint8_t maintenance_irq;
	uint8_t gic_version;
	uint64_t gicd_base;
	uint64_t gicc_base;
	uint64_t gich_base;
	uint64_t gicv_base;
	uint64_t gicr_base;
	struct jailhouse_iommu iommu_units[JH_MAX_IOMMU_UNITS];
} JH_PACKED;

struct jailhouse_platform_rev12 {
	uint64_t pci_mmconfig_base;
	uint8_t pci_mmconfig_end_bus;
	uint8_t pci_is_virtual;
	uint16_t pci_domain;
	struct jailhouse_platform_arm_rev12 arm;
} JH_PACKED;

struct jailhouse_system_rev12 {
	struct jailhouse_header header;
	uint32_t flags;
	struct jailhouse_memory hypervisor_memory;
	struct jailhouse_console debug_console;
	struct jailhouse_platform_rev12 platform_info;
	struct jailhouse_cell_desc root_cell;
} JH_PACKED;

/* Entries of the arrays sphc neither writes nor reads, only skips. */
#define JH_CACHE_SIZE 12
#define JH_PIO_SIZE 4
#define JH_PCI_DEVICE_SIZE 56
#define JH_PCI_CAP_SIZE 8
#define JH_STREAM_ID_SIZE 4

/* Jailhouse's offsets and sizes, as its packed structs give them. */
#define JH_AT(type, field, off)                                                \
	_Static_assert(offsetof(struct type, field) == (off),                  \
		       #type "." #field " is at " #off)
JH_AT(jailhouse_header, architecture, 5);
JH_AT(jailhouse_header, revision, 6);
_Static_assert(sizeof(struct jailhouse_header) == 8, "the header is 8 bytes");
_Static_assert(sizeof(struct jailhouse_console) == 32, "a console is 32 bytes");
JH_AT(jailhouse_console, type, 12);
JH_AT(jailhouse_console, flags, 14);
_Static_assert(sizeof(struct jailhouse_memory) == 32,
	       "a memory region is 32 bytes");
JH_AT(jailhouse_memory, virt_start, 8);
JH_AT(jailhouse_memory, size, 16);
JH_AT(jailhouse_memory, flags, 24);
_Static_assert(sizeof(struct jailhouse_irqchip) == 32,
	       "an irqchip is 32 bytes");
JH_AT(jailhouse_irqchip, pin_base, 12);
JH_AT(jailhouse_irqchip, pin_bitmap, 16);
JH_AT(jailhouse_cell_desc, name, 8);
JH_AT(jailhouse_cell_desc, flags, 44);
JH_AT(jailhouse_cell_desc, cpu_set_size, 48);
JH_AT(jailhouse_cell_desc, num_memory_regions, 52);
JH_AT(jailhouse_cell_desc, num_cache_regions, 56);
JH_AT(jailhouse_cell_desc, num_irqchips, 60);
JH_AT(jailhouse_cell_desc, num_pio_regions, 64);
JH_AT(jailhouse_cell_desc, num_pci_devices, 68);
JH_AT(jailhouse_cell_desc, num_pci_caps, 72);
JH_AT(jailhouse_cell_desc, num_stream_ids, 76);
JH_AT(jailhouse_cell_desc, vpci_irq_base, 80);
JH_AT(jailhouse_cell_desc, cpu_reset_address, 84);
JH_AT(jailhouse_cell_desc, msg_reply_timeout, 92);
JH_AT(jailhouse_cell_desc, console, 100);
_Static_assert(sizeof(struct jailhouse_cell_desc) == 132,
	       "a cell descriptor is 132 bytes");
_Static_assert(sizeof(struct jailhouse_iommu) == 28,
	       "an IOMMU unit is 28 bytes");
JH_AT(jailhouse_iommu, base, 4);
JH_AT(jailhouse_iommu, size, 12);
JH_AT(jailhouse_platform, iommu_units, 12);
JH_AT(jailhouse_platform, arm, 236);
JH_AT(jailhouse_platform_arm, gicd_base, 4);
JH_AT(jailhouse_platform_arm, gicr_base, 36);
JH_AT(jailhouse_system, flags, 8);
JH_AT(jailhouse_system, hypervisor_memory, 12);
JH_AT(jailhouse_system, debug_console, 44);
JH_AT(jailhouse_system, platform_info, 76);
JH_AT(jailhouse_system, platform_info.arm, 312);
JH_AT(jailhouse_system, root_cell, 356);
_Static_assert(sizeof(struct jailhouse_system) == 356 + 132,
	       "a system config is 356 bytes and the root cell's descriptor");
JH_AT(jailhouse_system_rev12, platform_info.arm, 88);
JH_AT(jailhouse_system_rev12, platform_info.arm.gic_version, 89);
JH_AT(jailhouse_system_rev12, platform_info.arm.gicd_base, 90);
JH_AT(jailhouse_system_rev12, platform_info.arm.gicc_base, 98);
JH_AT(jailhouse_system_rev12, platform_info.arm.gich_base, 106);
JH_AT(jailhouse_system_rev12, platform_info.arm.gicv_base, 114);
JH_AT(jailhouse_system_rev12, platform_info.arm.gicr_base, 122);
JH_AT(jailhouse_system_rev12, platform_info.arm.iommu_units, 130);
JH_AT(jailhouse_system_rev12, root_cell, 354);
_Static_assert(sizeof(struct jailhouse_system_rev12) == 354 + 132,
	       "a revision 12 system config is 2 bytes shorter");
#undef JH_AT

#define JH_CELL_NAME_LEN 32
_Static_assert(sizeof(((struct jailhouse_cell_desc *)0)->name) ==
		       JH_CELL_NAME_LEN,
	       "a cell name is 31 characters and a NUL");

/*
 * JH_SET - store @v little-endian in @field of the struct @type at @p.
 * JH_GET - load @field of the struct @type at @p.
 */
#define JH_SET(p, type, field, v)                                              \
	jh_put_le((uint8_t *)(p) + offsetof(type, field), (v),                 \
		  sizeof(((type *)0)->field))
#define JH_GET(p, type, field)                                                 \
	jh_get_le((const uint8_t *)(p) + offsetof(type, field),                \
		  sizeof(((type *)0)->field))

static inline void jh_put_le(uint8_t *p, uint64_t v, size_t bytes)
{
	size_t i;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t jh_get_le(const uint8_t *p, size_t bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

/* The architecture byte of revision 14; older revisions do not say. */
#define JH_ARCH_ARM 1
#define JH_ARCH_ARM64 2

/* struct jailhouse_iommu types (rev 12 has 1 to 4). */
#define JH_IOMMU_AMD 1
#define JH_IOMMU_INTEL 2
#define JH_IOMMU_SMMUV3 3
#define JH_IOMMU_PVU 4
#define JH_IOMMU_ARM_MMU500 5

/* Signatures of revision 14 (5 bytes) and revisions 12, 13 (6 bytes). */
#define JH_SIG_SYSTEM "JHSYS"
#define JH_SIG_CELL "JHCLL"
#define JH_SIG_SYSTEM_REV13 "JHSYST"
#define JH_SIG_CELL_REV13 "JHCELL"

/* struct jailhouse_memory flags. */
#define JH_MEM_READ 0x0001ULL
#define JH_MEM_WRITE 0x0002ULL
#define JH_MEM_EXECUTE 0x0004ULL
#define JH_MEM_DMA 0x0008ULL
#define JH_MEM_IO 0x0010ULL
#define JH_MEM_COMM_REGION 0x0020ULL
#define JH_MEM_LOADABLE 0x0040ULL
#define JH_MEM_ROOTSHARED 0x0080ULL
#define JH_MEM_NO_HUGEPAGES 0x0100ULL
#define JH_MEM_IO_UNALIGNED 0x8000ULL
#define JH_MEM_IO_8 0x10000ULL
#define JH_MEM_IO_16 0x20000ULL
#define JH_MEM_IO_32 0x40000ULL
#define JH_MEM_IO_64 0x80000ULL
/* Any access-width flag: Jailhouse emulates such regions as MMIO. */
#define JH_MEM_IO_ACCESS                                                       \
	(JH_MEM_IO_UNALIGNED | JH_MEM_IO_8 | JH_MEM_IO_16 | JH_MEM_IO_32 |     \
	 JH_MEM_IO_64)

/* struct jailhouse_cell_desc and jailhouse_system flags. */
#define JH_CELL_PASSIVE_COMMREG 0x00000001U
#define JH_CELL_TEST_DEVICE 0x00000002U
#define JH_CELL_AARCH32 0x00000004U
#define JH_CELL_VIRTUAL_CONSOLE_PERMITTED 0x40000000U
#define JH_CELL_VIRTUAL_CONSOLE_ACTIVE 0x80000000U
#define JH_SYS_VIRTUAL_DEBUG_CONSOLE 0x0001U

/* struct jailhouse_console type and flags. */
#define JH_CON_TYPE_NONE 0x0000
#define JH_CON_TYPE_8250 0x0002
#define JH_CON_TYPE_PL011 0x0003
#define JH_CON_TYPE_XUARTPS 0x0004
#define JH_CON_TYPE_MVEBU 0x0005
#define JH_CON_TYPE_HSCIF 0x0006
#define JH_CON_TYPE_SCIFA 0x0007
#define JH_CON_TYPE_IMX 0x0008
#define JH_CON_TYPE_IMX_LPUART 0x0009
#define JH_CON_TYPE_SCIF 0x000a
#define JH_CON_ACCESS_MMIO 0x0001
#define JH_CON_REGDIST_4 0x0002

/* Where Jailhouse's ARM inmate library expects the communication region. */
#define JH_COMM_REGION_IPA 0x80000000ULL

#endif
