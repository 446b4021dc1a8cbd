// SPDX-License-Identifier: MIT
/*
 * Rules about cells as a whole: CPUs and devices given twice, payload images
 * and entry points, and the lints on bulk buffers and boot order.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/internal.h"
#include "check/layout.h"
#include "front/number.h"
#include "lib/util.h"

/* --- CPUs -------------------------------------------------------------- */

void check_cpu_conflicts(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	const struct m_board *b = c->board;
	const struct m_cell *cell;
	colorset_t on_board = { { 0 } };
	struct idpiece *v;
	char **names;
	size_t i, j, n = 0, total = 0;
	unsigned int w;

	for (i = 0; i < b->ncpus; i++)
		if (b->cpus[i].id < SPHC_MAX_CPUS)
			colorset_add(&on_board, b->cpus[i].id);
	for_each_cell(s, i, cell)
		total += cell->cpus.by_count ? 1 : cell->cpus.nranges;
	v = xcalloc(total + 1, sizeof(*v));
	names = xcalloc(s->ncells + 1, sizeof(*names));
	for_each_cell(s, i, cell) {
		names[i] = xasprintf("cell '%s'", cell->name);
		if (cell->cpus.by_count) {
			v[n].owner = (int)i;
			v[n].node = cell->cpus.node;
			v[n].ids.w[0] = cell->cpumask;
			n++;
			continue;
		}
		for (j = 0; j < cell->cpus.nranges; j++) {
			struct m_idset one = { .ranges = &cell->cpus.ranges[j],
					       .nranges = 1 };

			v[n].owner = (int)i;
			v[n].node = cell->cpus.ranges[j].node;
			idset_bits(&one, SPHC_MAX_CPUS, &v[n].ids);
			for (w = 0; w < SPHC_MAX_COLORS / 64; w++)
				v[n].ids.w[w] &= on_board.w[w];
			n++;
		}
	}
	report_id_conflicts(c, RULE_CPU_CONFLICT, "CPU", "given to", v, n,
			    (const char *const *)names, SPHC_MAX_CPUS);
	for (i = 0; i < s->ncells; i++)
		free(names[i]);
	free(names);
	free(v);
}

/* --- devices ----------------------------------------------------------- */

void check_device_conflicts(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	const struct m_board *b = c->board;
	const struct m_cell *cell;
	const struct m_devref **first =
		xcalloc(b->ndevices + 1, sizeof(*first));
	int *first_cell = xcalloc(b->ndevices + 1, sizeof(*first_cell));
	const struct b_device *console = s->hyp.console_dev;
	size_t i, j, d;

	for_each_cell(s, i, cell) {
		for (j = 0; j < cell->ndevices; j++) {
			const struct m_devref *ref = &cell->devices[j];

			if (!ref->dev || ref->dev->shareable)
				continue;
			d = (size_t)(ref->dev - b->devices);
			if (ref->dev == console) {
				diag_report(
					c->dl, RULE_DEVICE_CONFLICT,
					ynode_loc(ref->node),
					"device '%s' of cell '%s' is the hypervisor's console",
					ref->name, cell->name);
				if (s->hyp.console_node)
					diag_note(
						c->dl,
						ynode_loc(s->hyp.console_node),
						"the hypervisor takes '%s' as its console here",
						ref->name);
				else
					diag_note(
						c->dl,
						node_loc(c, b->console_node),
						"board '%s' makes '%s' the hypervisor's console here",
						b->name, ref->name);
				continue;
			}
			if (!first[d]) {
				first[d] = ref;
				first_cell[d] = (int)i;
				continue;
			}
			if (first_cell[d] == (int)i)
				continue; /* listed twice: duplicate-name */
			diag_report(
				c->dl, RULE_DEVICE_CONFLICT,
				ynode_loc(ref->node),
				"device '%s' of cell '%s' is also given to cell '%s'",
				ref->name, cell->name,
				s->cells[first_cell[d]].name);
			diag_note(c->dl, ynode_loc(first[d]->node),
				  "cell '%s' gets '%s' here",
				  s->cells[first_cell[d]].name, ref->name);
		}
	}
	free(first);
	free(first_cell);
}

/* --- images and entry points ------------------------------------------- */

/*
 * 0 when the regular file at @path opens and reads, else the errno: build
 * reads it whole, so a file only stat() can see (mode 000 for a user, a
 * write-only attribute even for root) is check's finding too.
 */
static int file_read_error(const char *path)
{
	char byte;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), err = 0;

	if (fd < 0)
		return errno;
	if (read(fd, &byte, 1) < 0)
		err = errno;
	close(fd);
	return err;
}

static void check_one_image(struct check_ctx *c, const struct m_cell *cell)
{
	struct stat st;
	uint64_t size, total = 0;
	char *path = layout_image_path(cell);
	char have[32];
	size_t j;
	int err;

	if (stat(path, &st)) {
		if (errno == ENOENT || errno == ENOTDIR)
			diag_report(c->dl, RULE_IMAGE_MISSING,
				    ynode_loc(cell->image_node),
				    "image '%s' of cell '%s' does not exist",
				    cell->image, cell->name);
		else
			diag_report(
				c->dl, RULE_IMAGE_MISSING,
				ynode_loc(cell->image_node),
				"image '%s' of cell '%s' cannot be read: %s",
				cell->image, cell->name, strerror(errno));
		free(path);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_report(c->dl, RULE_IMAGE_MISSING,
			    ynode_loc(cell->image_node),
			    "image '%s' of cell '%s' is not a regular file",
			    cell->image, cell->name);
		free(path);
		return;
	}
	err = file_read_error(path);
	free(path);
	if (err) {
		diag_report(c->dl, RULE_IMAGE_MISSING,
			    ynode_loc(cell->image_node),
			    "image '%s' of cell '%s' cannot be read: %s",
			    cell->image, cell->name, strerror(err));
		return;
	}
	if (!cell->nregions)
		return;
	size = (uint64_t)st.st_size;
	for (j = 0; j < cell->nregions; j++)
		total = end_of(total, cell->regions[j].size);
	if (size > total) {
		num_format_size(total, have, sizeof(have));
		diag_report(
			c->dl, RULE_IMAGE_TOO_BIG, ynode_loc(cell->image_node),
			"image '%s' of cell '%s' is %llu bytes, more than the cell's %s of memory",
			cell->image, cell->name, (unsigned long long)size,
			have);
		diag_note(c->dl, ynode_loc(ymap_key_node(cell->node, "memory")),
			  "'%s' memory declared here", cell->name);
	} else if (size > cell->regions[0].size) {
		/* It is loaded at the first region's start: it must fit. */
		num_format_size(cell->regions[0].size, have, sizeof(have));
		diag_report(
			c->dl, RULE_IMAGE_TOO_BIG, ynode_loc(cell->image_node),
			"image '%s' of cell '%s' is %llu bytes, more than the %s region it is loaded into",
			cell->image, cell->name, (unsigned long long)size,
			have);
		diag_note(c->dl, ynode_loc(cell->regions[0].node),
			  "the region it is loaded into is declared here");
	}
}

/* An initrd: a readable regular file, beside an image (a kernel). Where it
 * goes and whether it fits is the layout's (build-image). */
static void check_initrd(struct check_ctx *c, const struct m_cell *cell)
{
	struct stat st;
	char *path = layout_file_path(cell->initrd, cell->initrd_node);
	int rc = stat(path, &st), err = errno;

	if (!rc && S_ISREG(st.st_mode)) {
		err = file_read_error(path);
		rc = err ? -1 : 0;
	}
	free(path);
	if (!cell->image)
		diag_report(
			c->dl, RULE_IMAGE_MISSING, ynode_loc(cell->initrd_node),
			"cell '%s' has an initrd but no image: an initrd is "
			"for the kernel given as image:",
			cell->name);
	else if (rc)
		diag_report(
			c->dl, RULE_IMAGE_MISSING, ynode_loc(cell->initrd_node),
			err == ENOENT || err == ENOTDIR
				? "initrd '%s' of cell '%s' does not exist%s"
				: "initrd '%s' of cell '%s' cannot be read: %s",
			cell->initrd, cell->name,
			err == ENOENT || err == ENOTDIR ? "" : strerror(err));
	else if (!S_ISREG(st.st_mode))
		diag_report(c->dl, RULE_IMAGE_MISSING,
			    ynode_loc(cell->initrd_node),
			    "initrd '%s' of cell '%s' is not a regular file",
			    cell->initrd, cell->name);
}

void check_images(struct check_ctx *c)
{
	const struct m_cell *cell;
	size_t i;

	for_each_cell(c->sys, i, cell) {
		if (cell->image && cell->image_node)
			check_one_image(c, cell);
		if (cell->initrd && cell->initrd_node)
			check_initrd(c, cell);
	}
}

void check_entry_points(struct check_ctx *c)
{
	const struct m_cell *cell;
	struct where w, first = { 0 };
	size_t i, j;
	bool inside;

	for_each_cell(c->sys, i, cell) {
		if (!cell->entry_node || !cell->nregions)
			continue;
		inside = false;
		for (j = 0; j < cell->nregions && !inside; j++) {
			if (!region_where(&cell->regions[j], &w))
				break; /* not placed: cannot tell */
			if (!j)
				first = w;
			inside =
				cell->entry >= w.ipa && cell->entry < w.ipa_end;
		}
		if (inside || j < cell->nregions)
			continue;
		diag_report(
			c->dl, RULE_ENTRY_OUTSIDE, ynode_loc(cell->entry_node),
			"entry point 0x%llx of cell '%s' is outside its memory",
			(unsigned long long)cell->entry, cell->name);
		diag_note(
			c->dl, ynode_loc(cell->regions[0].node),
			"'%s' memory declared here, at guest-physical [0x%llx, 0x%llx)",
			cell->name, (unsigned long long)first.ipa,
			(unsigned long long)first.ipa_end);
	}
}

/* --- lints ------------------------------------------------------------- */

void check_bulk_buffers(struct check_ctx *c)
{
	const struct m_board *b = c->board;
	uint64_t llc = b->llc_size;
	char size[32], cache[32], lo[32], hi[32];
	size_t i;

	if (!llc)
		return;
	num_format_size(llc, cache, sizeof(cache));
	num_format_size(llc / 4, lo, sizeof(lo));
	num_format_size(llc / 2, hi, sizeof(hi));
	for (i = 0; i < c->sys->nshared; i++) {
		const struct m_shared *sh = &c->sys->shared[i];

		if (!sh->bulk || (sh->size >= llc / 4 && sh->size <= llc / 2))
			continue;
		num_format_size(sh->size, size, sizeof(size));
		diag_report(
			c->dl, RULE_BULK_BUFFER_SIZE,
			node_loc(c, sh->size_node),
			"bulk buffer '%s' is %s, outside a quarter to a half of the %s last-level cache (%s to %s), where measured bulk throughput is best",
			sh->name, size, cache, lo, hi);
		diag_note(c->dl, node_loc(c, ymap_get(b->root, "cache")),
			  "board '%s' declares its cache here", b->name);
	}
}

void check_critical_boot_order(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	const struct m_cell *cell, *relaxed = NULL;
	size_t i;

	for_each_cell(s, i, cell) {
		if (!cell->critical) {
			if (!relaxed)
				relaxed = cell;
			continue;
		}
		if (!relaxed)
			continue;
		if (cell->boot_order > relaxed->boot_order)
			diag_report(
				c->dl, RULE_CRITICAL_BOOT_ORDER,
				node_loc(c, ymap_get(cell->node, "critical")),
				"critical cell '%s' boots after non-critical cell '%s', which delays it by that cell's start",
				cell->name, relaxed->name);
		else
			diag_report(
				c->dl, RULE_CRITICAL_BOOT_ORDER,
				node_loc(c, ymap_get(cell->node, "critical")),
				"critical cell '%s' is listed after non-critical cell '%s' but boots first; list critical cells first, in the order they boot, so the file does not mislead",
				cell->name, relaxed->name);
		diag_note(c->dl, ynode_loc(relaxed->name_node),
			  "'%s' declared here", relaxed->name);
	}
}
