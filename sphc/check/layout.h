/* SPDX-License-Identifier: MIT */
/*
 * The boot layout of the sph runtime, decided once from the resolved model:
 * `sphc check` reports what does not fit (build-layout, build-image,
 * build-boot-area) and `sphc build` (backends/plan.c) lays the system out
 * with the very same numbers, so build cannot fail on a layout that check
 * passed.
 *
 *   - a cell's device tree sits at the end of its first memory region, in
 *     an area of at least 64K, larger when its tree may be (dtb_area is
 *     computed from an upper bound of the tree's size, not the tree
 *     itself, which only the dtb backend writes);
 *   - the payload gets the rest of that region, with a 16K stack per vCPU
 *     at its top: an image must fit below the device tree;
 *   - an initrd goes at the top of the payload's part, below the stacks,
 *     page aligned, above what the image takes (for an arm64 Linux Image,
 *     the image_size its header gives: text and .bss);
 *   - the boot area is at the end of the hypervisor's memory, at least 1M,
 *     larger (in 1M steps) when the system blob and the staged images of
 *     colored cells need it; the hypervisor's memory must be larger still.
 */
#ifndef SPHC_CHECK_LAYOUT_H
#define SPHC_CHECK_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "diag/diag.h"
#include "model/model.h"

#define LAYOUT_DTB_MIN (64ULL << 10) /* smallest device-tree area */
#define LAYOUT_BOOT_MIN (1ULL << 20) /* smallest boot area, and its step */
#define LAYOUT_BLOB_MAX (1ULL << 20) /* the runtime validates at most this */
#define LAYOUT_STACK_PER_CPU (16ULL << 10) /* per vCPU, below the tree */

struct layout_cell {
	uint64_t dtb_bound;    /* the cell's device tree is at most this */
	uint64_t dtb_area;     /* reserved at the end of the first region */
	uint64_t dtb_ipa;      /* start of that area */
	uint64_t payload_size; /* first region minus the area */
	uint64_t image_size;   /* as found by stat(); 0: none */
	bool staged;	       /* first region colored: the runtime copies */
	uint64_t initrd_size;  /* as found by stat(); 0: none */
	uint64_t initrd_ipa;   /* page aligned, at the top below the stacks */
};

struct layout {
	struct layout_cell *cells; /* one per cell */
	uint64_t blob_bound;	   /* system.bin is at most this */
	uint64_t staged_bound;	   /* blob + staged images, page aligned */
	uint64_t boot_area;	   /* bytes at the end of hypervisor memory */
	bool ok;		   /* nothing reported: build may use it */
};

/*
 * layout_compute - the layout of @s on @b. What does not fit is reported
 * to @dl (NULL: not reported); l->ok tells whether everything fits. Cells
 * or the hypervisor whose memory was not placed are skipped (resolve has
 * reported why). Call layout_free() in every case.
 */
void layout_compute(struct layout *l, const struct m_system *s,
		    const struct m_board *b, struct diag_list *dl);
void layout_free(struct layout *l);

/* layout_image_path - a cell's image path, relative to the file naming it. */
char *layout_image_path(const struct m_cell *cell);

/* layout_file_path - @file (named at @node) relative to the file naming it. */
char *layout_file_path(const char *file, const struct ynode *node);

#endif
