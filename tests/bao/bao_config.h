/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for Bao v2's <config.h>, only for checking that the
 * configurations sphc writes (bao/config.c) compile. Written from the
 * documented layout of Bao's configuration structures (Bao v2.0.0:
 * src/core/inc/{config,vm,shmem,ipc}.h and the Armv8 arch/vm.h, as
 * summarized in sphc's reference notes); not Bao's code. Field order and
 * types follow the documentation, so designated initializers that compile
 * here name real fields of the real structures.
 *
 * Include it as <config.h> (tests/targets.sh makes one that does). Compile
 * with -DGENERATING_DEFS for the host pass Bao's build makes.
 */
#ifndef SPHC_TEST_BAO_CONFIG_H
#define SPHC_TEST_BAO_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bao's basic types (types.h). */
typedef uintptr_t paddr_t;
typedef uintptr_t vaddr_t;
typedef unsigned long colormap_t;
typedef unsigned long cpumap_t;
typedef unsigned irqid_t;
typedef unsigned deviceid_t;

#define STR(x) #x
#define XSTR(x) STR(x)

/*
 * VM_IMAGE(name, "path"): the payload embedded with .incbin into a section
 * of its own, bracketed by symbols _<name>_vm_beg and _<name>_vm_size;
 * nothing in the host pass (GENERATING_DEFS).
 */
#ifndef GENERATING_DEFS
#define VM_IMAGE(name, path)                                                                                                         \
	extern uint8_t _##name##_vm_size;                                                                                            \
	extern uint8_t _##name##_vm_beg;                                                                                             \
	__asm__(".pushsection .vm_image_" XSTR(                                                                                      \
		name) ", \"a\"\n\t"                                                                                                  \
		      ".global _" XSTR(                                                                                              \
			      name) "_vm_beg\n\t"                                                                                    \
				    "_" XSTR(                                                                                        \
					    name) "_vm_beg:\n\t"                                                                     \
						  ".incbin " XSTR(                                                                   \
							  path) "\n\t"                                                               \
								"_" XSTR(                                                            \
									name) "_vm_end:\n\t"                                         \
									      ".global _" XSTR(                                      \
										      name) "_vm_size\n\t"                           \
											    ".set _" XSTR(name) "_vm_size, (_" XSTR( \
												    name) "_vm_end - _" #name        \
													  "_vm_beg)\n\t"             \
													  ".popsection");
#define VM_IMAGE_OFFSET(name) ((paddr_t)&_##name##_vm_beg)
#define VM_IMAGE_SIZE(name) ((size_t)&_##name##_vm_size)
#else
#define VM_IMAGE(name, path)
#define VM_IMAGE_OFFSET(name) ((paddr_t)0)
#define VM_IMAGE_SIZE(name) ((size_t)0)
#endif

/* An image built into Bao's binary, to be copied to @base in the VM. */
#define VM_IMAGE_BUILTIN(name, base)                                           \
	{                                                                      \
		.base_addr = (base), .load_addr = VM_IMAGE_OFFSET(name),       \
		.size = VM_IMAGE_SIZE(name), .separately_loaded = false,       \
	}

/* An image the boot loader put at @load. */
#define VM_IMAGE_LOADED(base, load, sz)                                        \
	{                                                                      \
		.base_addr = (base), .load_addr = (load), .size = (sz),        \
		.separately_loaded = true,                                     \
	}

/* Kept by Bao for configurations of v0.1; empty. */
#define CONFIG_HEADER

/* A memory region of a VM: at guest address base; at phys when place_phys. */
struct vm_mem_region {
	paddr_t base;
	size_t size;
	colormap_t colors;
	bool place_phys;
	paddr_t phys;
	bool reserved; /* Bao's bookkeeping */
};

/* A passed-through device: pa mapped at va, with its interrupts (INTIDs). */
struct vm_dev_region {
	paddr_t pa;
	vaddr_t va;
	size_t size;
	size_t interrupt_num;
	irqid_t *interrupts;
	deviceid_t id; /* IOMMU stream id */
};

/* A shared-memory object of a VM: shmemlist[shmem_id] at guest address base. */
struct ipc {
	paddr_t base;
	size_t size;
	size_t shmem_id;
	size_t interrupt_num;
	irqid_t *interrupts;
};

/* A shared-memory region (config.shmemlist entry; index = id). */
struct shmem {
	size_t size;
	colormap_t colors;
	bool place_phys;
	union {
		paddr_t base;
		paddr_t phys;
	};
	bool reserved; /* bookkeeping from here on */
	cpumap_t cpu_masters;
	unsigned long lock;
};

/* A VirtIO-style remote I/O device (not emitted by sphc). */
struct remio_dev;

/* Armv8 part of a VM's platform: its virtual GIC. */
struct arch_vm_platform {
	struct vgic_dscrp {
		paddr_t gicd_addr;
		paddr_t gicc_addr;
		paddr_t gicr_addr;
		size_t interrupt_num;
	} gic;
	struct {
		unsigned long global_mask;
		size_t group_num;
		struct smmu_group {
			unsigned long mask;
			unsigned long id;
		} * groups;
	} smmu;
};

struct vm_platform {
	size_t cpu_num;
	size_t region_num;
	struct vm_mem_region *regions;
	size_t ipc_num;
	struct ipc *ipcs;
	size_t dev_num;
	struct vm_dev_region *devs;
	size_t remio_dev_num;
	struct remio_dev *remio_devs;
	bool mmu;
	struct arch_vm_platform arch;
};

struct vm_config {
	struct {
		vaddr_t base_addr; /* guest address of the image */
		paddr_t load_addr; /* where it is in Bao's image */
		size_t size;
		bool separately_loaded;
		bool inplace;
		bool reserved;
	} image;
	vaddr_t entry;
	cpumap_t cpu_affinity;
	colormap_t colors;
	struct vm_platform platform;
};

extern struct config {
	struct {
		bool relocate; /* MPU platforms only */
		paddr_t base_addr;
		bool data_relocate;
		paddr_t data_addr;
		colormap_t colors; /* the hypervisor's own colors */
	} hyp;
	size_t shmemlist_size;
	struct shmem *shmemlist;
	size_t vmlist_size;
	struct vm_config *vmlist;
} config;

#endif
