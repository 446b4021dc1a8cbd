// SPDX-License-Identifier: MIT
/*
 * The manifest backend: build/manifest.json, the resolved system (every
 * allocation with owner, range, size, attributes and colors; each cell as
 * its blob describes it) and every other output file with its size and
 * CRC-32. Runs last. The cell, shared and hypervisor objects use the same
 * keys as `sphc dump --format=json`, so the two can be compared.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/manifest/manifest.h"
#include "lib/util.h"

static json_t *jint(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *jhex32(uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%08x", v);
	return json_string(buf);
}

json_t *mf_colors(const uint64_t *w)
{
	json_t *a = json_array();
	uint32_t c;

	for (c = 0; c < 64 * SPH_COLOR_WORDS; c++)
		if (w[c / 64] >> (c % 64) & 1)
			json_array_append_new(a, json_integer(c));
	return a;
}

json_t *mf_region_flags(uint32_t f)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ SPH_REGION_READ, "read" },
		{ SPH_REGION_WRITE, "write" },
		{ SPH_REGION_EXEC, "exec" },
		{ SPH_REGION_IO, "io" },
		{ SPH_REGION_COLORED, "colored" },
		{ SPH_REGION_SHARED, "shared" },
	};
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (f & names[i].bit)
			json_array_append_new(a, json_string(names[i].name));
	return a;
}

json_t *mf_region(const struct sph_region *r, const char *shared,
		  const char *device)
{
	json_t *o = json_object();

	json_object_set_new(o, "pa", jint(r->pa));
	json_object_set_new(o, "span", jint(r->span));
	json_object_set_new(o, "ipa", jint(r->ipa));
	json_object_set_new(o, "size", jint(r->size));
	json_object_set_new(o, "flags", mf_region_flags(r->flags));
	if (shared)
		json_object_set_new(o, "shared", json_string(shared));
	if (device && *device)
		json_object_set_new(o, "device", json_string(device));
	return o;
}

json_t *mf_irq(const struct sph_irq *q)
{
	json_t *o = json_object();

	json_object_set_new(o, "intid", json_integer(q->intid));
	json_object_set_new(o, "priority", json_integer(q->priority));
	json_object_set_new(
		o, "trigger",
		json_string(q->flags & SPH_IRQ_EDGE ? "edge" : "level"));
	return o;
}

json_t *mf_cpus(uint64_t mask)
{
	json_t *a = json_array();
	uint32_t i;

	for (i = 0; i < 64; i++)
		if (mask >> i & 1)
			json_array_append_new(a, json_integer(i));
	return a;
}

json_t *mf_cell_head(const struct sph_cell *c, const char *name)
{
	json_t *o = json_object(), *img;

	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "critical",
			    json_boolean(c->flags & SPH_CELL_CRITICAL));
	json_object_set_new(o, "boot_order", json_integer(c->boot_order));
	json_object_set_new(o, "cpus", mf_cpus(c->cpu_mask));
	json_object_set_new(o, "colors", mf_colors(c->colors));
	json_object_set_new(o, "entry", jint(c->entry));
	if (c->image_size) {
		img = json_object();
		json_object_set_new(img, "ipa", jint(c->image_ipa));
		json_object_set_new(img, "size", jint(c->image_size));
		json_object_set_new(img, "pa", jint(c->image_pa));
		json_object_set_new(o, "image", img);
	} else {
		json_object_set_new(o, "image", json_null());
	}
	img = json_object();
	json_object_set_new(img, "ipa", jint(c->dtb_ipa));
	json_object_set_new(img, "size", json_integer(c->dtb_size));
	json_object_set_new(o, "dtb", img);
	if (c->initrd_size) {
		img = json_object();
		json_object_set_new(img, "ipa", jint(c->initrd_ipa));
		json_object_set_new(img, "size", jint(c->initrd_size));
		json_object_set_new(img, "pa", jint(c->initrd_pa));
		json_object_set_new(o, "initrd", img);
	} else {
		json_object_set_new(o, "initrd", json_null());
	}
	/* The runtime's emulated PL011 (transmit only) for the cell. */
	json_object_set_new(o, "console_page",
			    c->vuart_ipa ? jint(c->vuart_ipa) : json_null());
	return o;
}

json_t *mf_hypervisor(const struct sph_hypervisor *h)
{
	json_t *o = json_object();

	json_object_set_new(o, "pa", jint(h->pa));
	json_object_set_new(o, "span", jint(h->span));
	json_object_set_new(o, "size", jint(h->size));
	json_object_set_new(o, "colored",
			    json_boolean(h->flags & SPH_REGION_COLORED));
	json_object_set_new(o, "colors", mf_colors(h->colors));
	return o;
}

json_t *mf_shared_head(const struct sph_shared *s, const char *name)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "pa", jint(s->pa));
	json_object_set_new(o, "size", jint(s->size));
	json_object_set_new(o, "doorbell",
			    s->doorbell_irq ? json_integer(s->doorbell_irq)
					    : json_null());
	return o;
}

/* --- the manifest itself -------------------------------------------------- */

static json_t *cell_json(const struct plan *p, size_t ci)
{
	const struct sph_cell *c = &p->cells[ci];
	json_t *o = mf_cell_head(c, plan_string(p, c->name));
	json_t *regions = json_array(), *irqs = json_array(), *img;
	const struct sph_region *r;
	uint32_t i;

	for (i = 0; i < c->num_regions; i++) {
		r = &p->regions[c->first_region + i];
		json_array_append_new(
			regions,
			mf_region(
				r,
				r->shared == SPH_NO_INDEX
					? NULL
					: plan_string(
						  p, p->shared[r->shared].name),
				plan_string(p, r->device)));
	}
	for (i = 0; i < c->num_irqs; i++)
		json_array_append_new(irqs, mf_irq(&p->irqs[c->first_irq + i]));
	json_object_set_new(o, "regions", regions);
	json_object_set_new(o, "irqs", irqs);
	/* Not laid out for sph (a build without it): no device tree. */
	if (!p->pc[ci].laid_out)
		json_object_set_new(o, "dtb", json_null());
	img = json_object_get(o, "image");
	if (json_is_object(img)) {
		char *f = xasprintf("cells/%s.img", p->sys->cells[ci].name);

		json_object_set_new(img, "file", json_string(f));
		json_object_set_new(img, "staged",
				    json_boolean(p->pc[ci].image_staged));
		free(f);
	}
	return o;
}

static json_t *shared_json(const struct plan *p, size_t si)
{
	const struct sph_shared *s = &p->shared[si];
	json_t *o = mf_shared_head(s, plan_string(p, s->name)), *acc;
	uint32_t i;

	acc = json_object();
	for (i = 0; i < s->num_access; i++) {
		const struct sph_access *a = &p->access[s->first_access + i];

		json_object_set_new(
			acc, plan_string(p, p->cells[a->cell].name),
			json_string(a->flags & SPH_ACCESS_WRITE ? "rw" : "ro"));
	}
	json_object_set_new(o, "access", acc);
	return o;
}

/* --- allocations: every physical range anybody owns --------------------- */

struct alloc {
	char *owner;
	const char *kind;
	const char *device; /* kind "device" */
	uint64_t pa, span, size;
	const char *attributes;
	const uint64_t *colors;
	uint32_t flags;
};

static int alloc_cmp(const void *a, const void *b)
{
	const struct alloc *x = a, *y = b;
	int c;

	if (x->pa != y->pa)
		return x->pa < y->pa ? -1 : 1;
	c = strcmp(x->owner, y->owner);
	if (c)
		return c;
	c = strcmp(x->kind, y->kind);
	if (c)
		return c;
	return strcmp(x->device ? x->device : "", y->device ? y->device : "");
}

static const char *attr_of(uint32_t f)
{
	if (f & SPH_REGION_IO)
		return "device";
	if (f & SPH_REGION_EXEC)
		return "rwx";
	return f & SPH_REGION_WRITE ? "rw" : "ro";
}

static json_t *allocations(const struct plan *p)
{
	static const uint64_t none[SPH_COLOR_WORDS];
	const struct b_device *con = p->sys->hyp.console_dev;
	size_t cap = p->nregions + p->nshared + 1, n = 0, i, j, k;
	struct alloc *v = xcalloc(cap, sizeof(*v));
	json_t *a = json_array(), *o;

	v[n].owner = xstrdup("hypervisor");
	v[n].kind = "ram";
	v[n].pa = p->hyp.pa;
	v[n].span = p->hyp.span;
	v[n].size = p->hyp.size;
	v[n].attributes = "rwx";
	v[n].colors = p->hyp.colors;
	v[n++].flags = p->hyp.flags;
	for (k = 0; con && k < con->nregs; k++) {
		VEC_RESERVE(v, n, cap);
		memset(&v[n], 0, sizeof(v[n]));
		v[n].owner = xstrdup("hypervisor");
		v[n].kind = "device";
		v[n].device = con->name;
		v[n].pa = con->regs[k].base;
		v[n].span = v[n].size = con->regs[k].size;
		v[n].attributes = "device";
		v[n++].colors = none;
	}
	for (i = 0; i < p->ncells; i++) {
		const struct sph_cell *c = &p->cells[i];

		for (j = 0; j < c->num_regions; j++) {
			const struct sph_region *r =
				&p->regions[c->first_region + j];

			/* Shared regions are listed once, below; devices
			 * with their exact ranges, not the mapped pages. */
			if (r->flags & (SPH_REGION_SHARED | SPH_REGION_IO))
				continue;
			VEC_RESERVE(v, n, cap);
			memset(&v[n], 0, sizeof(v[n]));
			v[n].owner = xstrdup(plan_string(p, c->name));
			v[n].kind = "ram";
			v[n].pa = r->pa;
			v[n].span = r->span;
			v[n].size = r->size;
			v[n].attributes = attr_of(r->flags);
			v[n].colors = r->flags & SPH_REGION_COLORED ? c->colors
								    : none;
			v[n++].flags = r->flags;
		}
		for (j = 0; j < p->sys->cells[i].ndevices; j++) {
			const struct b_device *d =
				p->sys->cells[i].devices[j].dev;

			for (k = 0; d && k < d->nregs; k++) {
				VEC_RESERVE(v, n, cap);
				memset(&v[n], 0, sizeof(v[n]));
				v[n].owner = xstrdup(plan_string(p, c->name));
				v[n].kind = "device";
				v[n].device = d->name;
				v[n].pa = d->regs[k].base;
				v[n].span = v[n].size = d->regs[k].size;
				v[n].attributes = "device";
				v[n++].colors = none;
			}
		}
	}
	for (i = 0; i < p->nshared; i++) {
		VEC_RESERVE(v, n, cap);
		memset(&v[n], 0, sizeof(v[n]));
		v[n].owner = xstrdup(plan_string(p, p->shared[i].name));
		v[n].kind = "shared";
		v[n].pa = p->shared[i].pa;
		v[n].span = p->sys->shared[i].place.span;
		v[n].size = p->shared[i].size;
		v[n].attributes = "shared";
		v[n].colors = none;
		v[n++].flags = 0;
	}
	qsort(v, n, sizeof(*v), alloc_cmp);
	for (i = 0; i < n; i++) {
		o = json_object();
		json_object_set_new(o, "owner", json_string(v[i].owner));
		json_object_set_new(o, "kind", json_string(v[i].kind));
		if (v[i].device)
			json_object_set_new(o, "device",
					    json_string(v[i].device));
		json_object_set_new(o, "start", jint(v[i].pa));
		json_object_set_new(o, "end", jint(v[i].pa + v[i].span));
		json_object_set_new(o, "size", jint(v[i].size));
		json_object_set_new(o, "attributes",
				    json_string(v[i].attributes));
		json_object_set_new(o, "colors", mf_colors(v[i].colors));
		json_array_append_new(a, o);
		free(v[i].owner);
	}
	free(v);
	return a;
}

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct out_file *)a)->path,
		      ((const struct out_file *)b)->path);
}

static json_t *files(const struct out *o)
{
	struct out_file *v = xcalloc(o->nfiles + 1, sizeof(*v));
	json_t *a = json_array(), *f;
	size_t i;

	memcpy(v, o->files, o->nfiles * sizeof(*v));
	qsort(v, o->nfiles, sizeof(*v), file_cmp);
	for (i = 0; i < o->nfiles; i++) {
		f = json_object();
		json_object_set_new(f, "path", json_string(v[i].path));
		json_object_set_new(f, "size", jint(v[i].size));
		json_object_set_new(f, "crc32", jhex32(v[i].crc32));
		json_array_append_new(a, f);
	}
	free(v);
	return a;
}

int backend_manifest(const struct plan *p, struct out *o)
{
	json_t *m = json_object(), *x, *cells, *shared;
	char *text;
	size_t i;
	int rc;

	json_object_set_new(m, "format", json_string("sphc-manifest"));
	json_object_set_new(m, "version", json_integer(1));
	json_object_set_new(m, "system", json_string(p->sys->name));
	json_object_set_new(m, "board", json_string(p->board->name));
	json_object_set_new(m, "abi_version", json_integer(SPH_VERSION));

	/* Without sph's runtime there is no blob to boot: null. */
	x = p->runtime ? json_object() : json_null();
	if (p->runtime) {
		json_object_set_new(x, "file", json_string("system.bin"));
		json_object_set_new(x, "address", jint(p->blob_addr));
		json_object_set_new(x, "size", jint(p->blob_size));
		json_object_set_new(x, "boot_area_start", jint(p->blob_addr));
		json_object_set_new(x, "boot_area_end", jint(p->boot_end));
		/* console: none: the runtime's log, below the blob. */
		if (p->sys->hyp.no_console) {
			json_object_set_new(x, "log_address",
					    jint(p->blob_addr - SPH_LOG_SIZE));
			json_object_set_new(x, "log_size", jint(SPH_LOG_SIZE));
		}
	}
	json_object_set_new(m, "blob", x);

	x = mf_hypervisor(&p->hyp);
	json_object_set_new(x, "console",
			    p->sys->hyp.console
				    ? json_string(p->sys->hyp.console)
				    : json_null());
	json_object_set_new(m, "hypervisor", x);

	cells = json_array();
	for (i = 0; i < p->ncells; i++)
		json_array_append_new(cells, cell_json(p, i));
	json_object_set_new(m, "cells", cells);
	shared = json_array();
	for (i = 0; i < p->nshared; i++)
		json_array_append_new(shared, shared_json(p, i));
	json_object_set_new(m, "shared", shared);
	json_object_set_new(m, "allocations", allocations(p));
	json_object_set_new(m, "files", files(o));

	text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(m);
	if (!text) {
		fputs("sphc: internal error: out of memory\n", stderr);
		exit(2);
	}
	text = xrealloc(text, strlen(text) + 2);
	strcat(text, "\n");
	rc = out_text(o, "manifest.json", text, false);
	free(text);
	return rc;
}
