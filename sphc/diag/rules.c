// SPDX-License-Identifier: MIT
#include <string.h>

#include "diag/rules.h"
#include "lib/util.h"

#define ERR(id, text) { id, DIAG_ERROR, text }
#define WARN(id, text) { id, DIAG_WARNING, text }
#define NOTE(id, text) { id, DIAG_NOTE, text }

/* Sorted by stage, then by name; docs/rules.md describes each one. */
const struct rule_info rule_table[] = {
	/* The YAML front end. */
	ERR("yaml-syntax", "the file is not well-formed YAML"),
	ERR("invalid-utf8", "the file is not valid UTF-8"),
	ERR("tab-indent", "a tab character used for indentation"),
	ERR("duplicate-key", "a key given twice in one mapping"),
	ERR("multiple-documents", "more than one YAML document in a file"),
	ERR("io-error", "a file that cannot be read"),
	/* The schema. */
	ERR("unknown-key", "a key the format does not define"),
	ERR("missing-key", "a required key is absent"),
	ERR("wrong-type", "a value of the wrong type"),
	ERR("out-of-range", "a number or list length outside its bounds"),
	ERR("bad-value", "a value that is not one of the accepted ones"),
	ERR("number-overflow", "a number that does not fit in 64 bits"),
	ERR("conflicting-keys", "two keys that exclude each other, such as board and boards"),
	/* Structure. */
	ERR("duplicate-name", "two cells, shared regions or devices with one name"),
	ERR("unknown-board", "a board that is neither built in nor a file"),
	ERR("unknown-device", "a device the board does not have"),
	ERR("unknown-cell", "a reference to a cell that is not declared"),
	ERR("cpu-not-on-board", "a CPU id the board lacks"),
	ERR("bad-range", "a range whose end is below its start"),
	/* Allocation. */
	ERR("cpu-alloc", "more CPUs asked for than the board has free"),
	ERR("color-alloc", "more colors asked for than the board has free"),
	ERR("memory-alloc", "memory that cannot be placed in free RAM"),
	ERR("color-memory", "colored memory larger than the free RAM with those colors"),
	ERR("doorbell-alloc", "no free SPI left for a doorbell"),
	/* Conflicts: CPUs and devices. */
	ERR("cpu-conflict", "a CPU given to two cells"),
	ERR("device-conflict", "a device given to two cells, or the hypervisor's console given to a cell"),
	ERR("device-page-conflict", "devices sharing a page given to different owners"),
	ERR("board-mmio-overlap", "board devices whose register ranges overlap"),
	/* Conflicts: memory. */
	ERR("memory-overlap", "memory of two cells overlapping"),
	ERR("memory-outside-ram", "memory not inside the board's RAM"),
	ERR("memory-on-hypervisor", "cell memory on top of the hypervisor's"),
	ERR("memory-on-device", "memory on top of device or GIC registers"),
	ERR("memory-alignment", "a base, size or guest-physical address not page aligned"),
	ERR("ipa-overlap", "guest-physical ranges overlapping inside one cell"),
	ERR("shared-overlap", "a shared region overlapping private or other shared memory"),
	/* Conflicts: interrupts. */
	ERR("irq-conflict", "an interrupt routed to two cells"),
	ERR("irq-not-spi", "an interrupt that is not an SPI of the board"),
	ERR("irq-reserved", "an interrupt the hypervisor keeps for itself"),
	ERR("irq-device-owner", "a device's interrupt routed to a cell without the device"),
	ERR("doorbell-conflict", "a doorbell interrupt already used by a doorbell, cell or device"),
	/* Conflicts: cache colors. */
	ERR("color-out-of-range", "a color index the board does not have"),
	ERR("color-conflict", "a color used by two cells, or by a cell and the hypervisor"),
	ERR("color-no-cache", "colors asked for on a board without cache geometry"),
	/* Conflicts: images. */
	ERR("image-missing", "a payload image that does not exist"),
	ERR("image-too-big", "a payload image larger than its cell's memory"),
	ERR("entry-outside", "an entry point outside the cell's memory"),
	/* Build layout (sphc build only; docs/build.md). */
	ERR("build-image", "an image that cannot be read or does not fit below its cell's device tree"),
	ERR("build-layout", "a first memory region too small for the device tree and stacks, or a device tree over 64K"),
	ERR("build-boot-area", "the blob and staged images do not fit in the hypervisor's 1M boot area"),
	/* Lints. */
	WARN("superpage-alignment", "memory of 2M or more that cannot use 2M blocks"),
	NOTE("colored-superpages", "a colored cell's memory is mapped with 4K pages"),
	WARN("hypervisor-uncolored", "cells are colored but the hypervisor is not"),
	WARN("bulk-buffer-size", "a bulk buffer outside a quarter to a half of the LLC"),
	WARN("critical-boot-order", "a critical cell listed after a non-critical one"),
	/* Targets: other hypervisors' formats (build --target, import). */
	WARN("target-unsupported", "something the target hypervisor's format cannot express, left out"),
	ERR("target-limit", "a description beyond a limit of the target hypervisor's format"),
	WARN("target-inexact", "something the target hypervisor expresses only approximately (colors, access, interrupts)"),
};

const unsigned int rule_count = ARRAY_SIZE(rule_table);

const struct rule_info *rule_find(const char *id)
{
	unsigned int i;

	for (i = 0; i < rule_count; i++)
		if (!strcmp(rule_table[i].id, id))
			return &rule_table[i];
	return NULL;
}
