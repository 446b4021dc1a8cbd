/* SPDX-License-Identifier: MIT */
/*
 * Backends of `sphc build`: each turns the resolved model into files of one
 * format inside an output directory.
 *
 * The model is first laid out into a struct plan (backends/plan.c): the
 * blob tables in their native form (what system.bin holds), the per-cell
 * device trees, where the blob and staged images go at boot. Every backend
 * then reads only the plan (which points back to the model) and writes
 * through struct out, which records each file with its size and CRC-32 for
 * the manifest. Backends never re-check the model: build runs only on a
 * description that checked clean.
 *
 * Boot layout (sphc/check/layout.h decides it, for check and build alike;
 * documented in docs/build.md):
 *   - a cell's DTB sits in the last dtb_area bytes of its first memory
 *     region (64 KiB or more, dtb_ipa page aligned); its payload gets the
 *     rest of that region, with 16 KiB of stack per vCPU at the top;
 *   - system.bin is loaded at the start of the boot area, the last
 *     boot_area bytes of hypervisor memory (1 MiB or more); images of
 *     cells whose first region is colored are staged right after it, each
 *     page aligned, and the runtime copies them into the cell.
 */
#ifndef SPHC_BACKEND_H
#define SPHC_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check/layout.h"
#include "diag/diag.h"
#include "model/model.h"
#include "sph/abi.h"

#define SPHC_STACK_PER_CPU LAYOUT_STACK_PER_CPU
#define SPHC_IRQ_PRIORITY 0xA0 /* when a description gives none */

/* --- output directory ------------------------------------------------- */

struct out_file {
	char *path; /* relative to the output directory */
	uint64_t size;
	uint32_t crc32;
};

struct out {
	char *dir; /* an existing directory */
	struct out_file *files;
	size_t nfiles, cap;
	char *error; /* set on the first failed write */
};

void out_init(struct out *o, const char *dir);
void out_free(struct out *o);

/*
 * out_write - write @len bytes to @rel (subdirectories are created) and
 * record it; @exec makes it executable. Returns 0, or -1 with o->error set.
 */
int out_write(struct out *o, const char *rel, const void *buf, size_t len,
	      bool exec);

/* out_text - out_write() of a NUL-terminated string. */
int out_text(struct out *o, const char *rel, const char *text, bool exec);

/*
 * The build directory DIR, replaced whole. It is filled as DIR.tmp.XXXXXX
 * beside it and swapped in at the end (renameat2 RENAME_EXCHANGE, or DIR
 * renamed aside first where the file system lacks it). Every directory
 * sphc builds carries OUT_MARKER, whose first line a stranger's folder
 * cannot hold by accident: an existing DIR is replaced only when it is
 * empty or carries it, and stale DIR.tmp.* / DIR.old.* left by a killed
 * sphc are removed only when they carry it and no sphc is filling them.
 */
#define OUT_MARKER ".sphc-build"

struct out_dir {
	char *path; /* DIR without trailing slashes */
	char *parent, *base;
	bool exists;
	char *tmp; /* the directory being filled, NULL once committed */
	int lock;  /* its marker, locked while it is filled; -1 */
};

/*
 * out_dir_open - check that @path may be replaced, remove stale
 * temporaries of it and create the temporary directory d->tmp, marked and
 * removed should SIGINT, SIGTERM or SIGHUP end sphc. Returns NULL, or an
 * error message (malloc'ed); call out_dir_close() in every case.
 */
char *out_dir_open(struct out_dir *d, const char *path);

/* out_dir_mark - mark directory @dir as one sphc wrote; NULL or an error. */
char *out_dir_mark(const char *dir);

/* out_dir_commit - put the finished d->tmp in place; NULL or an error. */
char *out_dir_commit(struct out_dir *d);

/* out_dir_close - remove d->tmp unless committed; free @d. */
void out_dir_close(struct out_dir *d);

/* --- the plan ----------------------------------------------------------- */

struct plan_cell {
	const struct m_cell *m;
	char *ident; /* C identifier part: upper case, [-.] -> _ */
	uint32_t nvcpus;
	uint64_t mem_ipa, mem_size; /* first region, guest-physical */
	uint64_t dtb_area;	    /* at the end of the first region */
	uint64_t payload_size;	    /* mem_size minus the DTB area */
	uint8_t *dtb;
	size_t dtb_size;
	uint8_t *image; /* file contents, NULL without image: */
	size_t image_size;
	bool image_staged;  /* first region colored: copied by the runtime */
	uint8_t *initrd;    /* file contents, NULL without initrd: */
	size_t initrd_size; /* staged with the image */
	bool laid_out;	    /* fits sph's layout: has a DTB, .ld and .h */
};

struct plan {
	const struct m_system *sys;
	const struct m_board *board;
	bool runtime; /* sph's runtime is built: blobs, hypervisor.ld */

	/* The system blob's tables; string fields index @strings. */
	struct sph_platform platform;
	struct sph_hypervisor hyp;
	struct sph_cpu *cpus;
	size_t ncpus;
	struct sph_cell *cells;
	size_t ncells;
	struct sph_region *regions;
	size_t nregions, regions_cap;
	struct sph_irq *irqs;
	size_t nirqs, irqs_cap;
	struct sph_shared *shared;
	size_t nshared;
	struct sph_access *access;
	size_t naccess;
	char *strings;
	size_t strings_len, strings_cap;

	struct layout layout; /* from check/layout.c */
	struct plan_cell *pc; /* ncells entries */
	uint64_t blob_addr;   /* where system.bin is loaded */
	uint64_t blob_size;
	uint64_t boot_area;  /* its size */
	uint64_t boot_end;   /* end of the boot area */
	uint64_t staged_end; /* end of blob + staged images */
};

/*
 * plan_build - lay out a resolved, checked system for board @b. Image
 * paths are relative to @system_dir (NULL: current directory). The layout
 * is check/layout.c's; what can still fail (an image that cannot be read
 * or changed since the check) is reported to @dl. Without @runtime (sph's
 * runtime is not built) the layout is not required: cells that do not fit
 * it get no DTB, .ld or .h (plan_cell.laid_out), and no blob is planned.
 * Returns the number of errors; call plan_free() in every case.
 */
int plan_build(struct plan *p, const struct m_system *s,
	       const struct m_board *b, const char *system_dir, bool runtime,
	       struct diag_list *dl);
void plan_free(struct plan *p);

/* plan_string - a string of the plan's string table. */
static inline const char *plan_string(const struct plan *p, uint32_t off)
{
	return p->strings + off;
}

/* The identifier of a name: upper case, '-' and '.' as '_'. */
char *plan_ident(const char *name);

/*
 * The board device a cell's reference gives it on sph's runtime, or NULL:
 * the hypervisor's console, shared, is the cell's console page instead.
 */
const struct b_device *plan_mapped_device(const struct plan *p,
					  const struct m_devref *ref);

/* --- backends: one entry point each -------------------------------------- */

/*
 * sph_blob_make - serialise the system blob (@cell < 0) or the blob of cell
 * @cell alone. Returns a malloc'ed buffer of *len bytes.
 */
uint8_t *sph_blob_make(const struct plan *p, int cell, size_t *len);

/* dt_cell_make - the DTB of cell @cell, in a malloc'ed buffer of at most
 * the cell's dtb_area bytes (NULL: larger). */
uint8_t *dt_cell_make(const struct plan *p, size_t cell, size_t *len);

int backend_sph(const struct plan *p,
		struct out *o); /* system.bin, cells/<cell>.bin, .img */
int backend_dt(const struct plan *p, struct out *o); /* cells/<cell>.dtb */
int backend_ld(const struct plan *p,
	       struct out *o); /* cells/<cell>.ld, .h, hypervisor.ld */
int backend_qemu(const struct plan *p,
		 struct out *o); /* run-qemu.sh (QEMU boards only) */
int backend_manifest(const struct plan *p,
		     struct out *o); /* manifest.json, last */

#endif
