// SPDX-License-Identifier: MIT
/*
 * The sph backend: build/system.bin (every cell), build/cells/<cell>.bin
 * (one cell alone, same layout) and build/cells/<cell>.img (a copy of the
 * cell's payload, loaded by the boot at image_pa).
 *
 * The tables are the plan's native structures, copied as they are: the
 * ABI is little-endian and so must the host be (checked below). A cell blob
 * keeps only what that cell sees: its own entry (id still its index in the
 * system blob), its regions and interrupts, the shared regions it accesses
 * with only its own access entry, every board CPU (cell 0 for its own,
 * SPH_NO_INDEX for the others) and only its DTB.
 */
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "sph/blob.h"
#include "lib/util.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "sph blobs are little-endian: writing them needs a little-endian host"
#endif

struct strtab {
	char *s;
	size_t len, cap;
};

static uint32_t strtab_add(struct strtab *t, const char *s)
{
	size_t off = 0, n = strlen(s) + 1;

	if (!*s)
		return 0;
	while (off < t->len) {
		if (!strcmp(t->s + off, s))
			return (uint32_t)off;
		off += strlen(t->s + off) + 1;
	}
	while (t->len + n > t->cap) {
		t->cap = 2 * t->cap;
		t->s = xrealloc(t->s, t->cap);
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	return (uint32_t)off;
}

/* The tables of one blob, before serialisation. */
struct tables {
	struct sph_platform platform;
	struct sph_hypervisor hyp;
	struct sph_cpu *cpus;
	struct sph_cell *cells;
	struct sph_region *regions;
	struct sph_irq *irqs;
	struct sph_shared *shared;
	struct sph_access *access;
	size_t ncpus, ncells, nregions, nirqs, nshared, naccess;
	struct strtab str;
	uint8_t *data;
	size_t ndata;
};

static void *dup_array(const void *src, size_t n, size_t size)
{
	void *d = xcalloc(n ? n : 1, size);

	if (n)
		memcpy(d, src, n * size);
	return d;
}

static void tables_system(const struct plan *p, struct tables *t)
{
	size_t i;

	t->ncpus = p->ncpus;
	t->cpus = dup_array(p->cpus, p->ncpus, sizeof(*p->cpus));
	t->ncells = p->ncells;
	t->cells = dup_array(p->cells, p->ncells, sizeof(*p->cells));
	t->nregions = p->nregions;
	t->regions = dup_array(p->regions, p->nregions, sizeof(*p->regions));
	t->nirqs = p->nirqs;
	t->irqs = dup_array(p->irqs, p->nirqs, sizeof(*p->irqs));
	t->nshared = p->nshared;
	t->shared = dup_array(p->shared, p->nshared, sizeof(*p->shared));
	t->naccess = p->naccess;
	t->access = dup_array(p->access, p->naccess, sizeof(*p->access));
	for (i = 0; i < p->ncells; i++) {
		size_t end = p->cells[i].dtb_offset + p->pc[i].dtb_size;

		if (end > t->ndata)
			t->ndata = end;
	}
	t->data = xcalloc(t->ndata ? t->ndata : 1, 1);
	for (i = 0; i < p->ncells; i++)
		memcpy(t->data + p->cells[i].dtb_offset, p->pc[i].dtb,
		       p->pc[i].dtb_size);
}

static void tables_cell(const struct plan *p, size_t ci, struct tables *t)
{
	const struct sph_cell *c = &p->cells[ci];
	uint32_t *map = xcalloc(p->nshared + 1, sizeof(*map));
	size_t i, j;

	t->ncpus = p->ncpus;
	t->cpus = dup_array(p->cpus, p->ncpus, sizeof(*p->cpus));
	for (i = 0; i < t->ncpus; i++)
		t->cpus[i].cell = t->cpus[i].cell == ci ? 0 : SPH_NO_INDEX;
	t->ncells = 1;
	t->cells = dup_array(c, 1, sizeof(*c));
	t->cells[0].first_region = 0;
	t->cells[0].first_irq = 0;
	t->cells[0].dtb_offset = 0;

	t->shared = xcalloc(p->nshared + 1, sizeof(*t->shared));
	t->access = xcalloc(p->nshared + 1, sizeof(*t->access));
	for (i = 0; i < p->nshared; i++) {
		const struct sph_shared *s = &p->shared[i];

		map[i] = SPH_NO_INDEX;
		for (j = s->first_access; j < s->first_access + s->num_access;
		     j++) {
			if (p->access[j].cell != ci)
				continue;
			map[i] = (uint32_t)t->nshared;
			t->shared[t->nshared] = *s;
			t->shared[t->nshared].first_access =
				(uint32_t)t->naccess;
			t->shared[t->nshared].num_access = 1;
			t->access[t->naccess].cell = 0;
			t->access[t->naccess].flags = p->access[j].flags;
			t->nshared++;
			t->naccess++;
			break;
		}
	}
	t->nregions = c->num_regions;
	t->regions = dup_array(p->regions + c->first_region, c->num_regions,
			       sizeof(*p->regions));
	for (i = 0; i < t->nregions; i++)
		if (t->regions[i].shared != SPH_NO_INDEX)
			t->regions[i].shared = map[t->regions[i].shared];
	t->nirqs = c->num_irqs;
	t->irqs = dup_array(p->irqs + c->first_irq, c->num_irqs,
			    sizeof(*p->irqs));
	t->ndata = p->pc[ci].dtb_size;
	t->data = dup_array(p->pc[ci].dtb, t->ndata, 1);
	free(map);
}

/* Re-intern every string into the blob's own table. */
static void tables_strings(const struct plan *p, struct tables *t)
{
	size_t i;

	t->str.cap = 256;
	t->str.s = xmalloc(t->str.cap);
	t->str.s[0] = '\0';
	t->str.len = 1;
	t->platform.board_name =
		strtab_add(&t->str, plan_string(p, t->platform.board_name));
	for (i = 0; i < t->ncells; i++)
		t->cells[i].name =
			strtab_add(&t->str, plan_string(p, t->cells[i].name));
	for (i = 0; i < t->nregions; i++)
		t->regions[i].device = strtab_add(
			&t->str, plan_string(p, t->regions[i].device));
	for (i = 0; i < t->nshared; i++)
		t->shared[i].name =
			strtab_add(&t->str, plan_string(p, t->shared[i].name));
}

static uint32_t place(struct sph_array *a, size_t *off, size_t count,
		      size_t esize)
{
	*off = (*off + 7) & ~(size_t)7;
	a->offset = (uint32_t)*off;
	a->count = (uint32_t)count;
	*off += count * esize;
	return a->offset;
}

uint8_t *sph_blob_make(const struct plan *p, int cell, size_t *len)
{
	struct sph_header h;
	struct tables t;
	size_t off = sizeof(h);
	uint8_t *buf;

	memset(&t, 0, sizeof(t));
	memset(&h, 0, sizeof(h));
	t.platform = p->platform;
	t.hyp = p->hyp;
	if (cell < 0)
		tables_system(p, &t);
	else
		tables_cell(p, (size_t)cell, &t);
	tables_strings(p, &t);

	h.magic = SPH_MAGIC;
	h.version = SPH_VERSION;
	h.header_size = sizeof(h);
	h.kind = cell < 0 ? SPH_KIND_SYSTEM : SPH_KIND_CELL;
	place(&h.platform, &off, 1, sizeof(t.platform));
	place(&h.hypervisor, &off, 1, sizeof(t.hyp));
	place(&h.cpus, &off, t.ncpus, sizeof(*t.cpus));
	place(&h.cells, &off, t.ncells, sizeof(*t.cells));
	place(&h.regions, &off, t.nregions, sizeof(*t.regions));
	place(&h.irqs, &off, t.nirqs, sizeof(*t.irqs));
	place(&h.shared, &off, t.nshared, sizeof(*t.shared));
	place(&h.access, &off, t.naccess, sizeof(*t.access));
	place(&h.strings, &off, t.str.len, 1);
	place(&h.data, &off, t.ndata, 1);
	off = (off + 7) & ~(size_t)7;
	h.total_size = (uint32_t)off;

	buf = xcalloc(off, 1);
	memcpy(buf + h.platform.offset, &t.platform, sizeof(t.platform));
	memcpy(buf + h.hypervisor.offset, &t.hyp, sizeof(t.hyp));
	memcpy(buf + h.cpus.offset, t.cpus, t.ncpus * sizeof(*t.cpus));
	memcpy(buf + h.cells.offset, t.cells, t.ncells * sizeof(*t.cells));
	memcpy(buf + h.regions.offset, t.regions,
	       t.nregions * sizeof(*t.regions));
	memcpy(buf + h.irqs.offset, t.irqs, t.nirqs * sizeof(*t.irqs));
	memcpy(buf + h.shared.offset, t.shared, t.nshared * sizeof(*t.shared));
	memcpy(buf + h.access.offset, t.access, t.naccess * sizeof(*t.access));
	memcpy(buf + h.strings.offset, t.str.s, t.str.len);
	memcpy(buf + h.data.offset, t.data, t.ndata);
	memcpy(buf, &h, sizeof(h));
	h.crc32 = sph_blob_crc32(buf, h.total_size);
	memcpy(buf, &h, sizeof(h));

	free(t.cpus);
	free(t.cells);
	free(t.regions);
	free(t.irqs);
	free(t.shared);
	free(t.access);
	free(t.str.s);
	free(t.data);
	*len = off;
	return buf;
}

int backend_sph(const struct plan *p, struct out *o)
{
	uint8_t *blob;
	size_t i, len;
	char *path;
	int rc;

	blob = sph_blob_make(p, -1, &len);
	rc = out_write(o, "system.bin", blob, len, false);
	free(blob);
	for (i = 0; !rc && i < p->ncells; i++) {
		blob = sph_blob_make(p, (int)i, &len);
		path = xasprintf("cells/%s.bin", p->sys->cells[i].name);
		rc = out_write(o, path, blob, len, false);
		free(path);
		free(blob);
		if (rc || !p->pc[i].image)
			continue;
		path = xasprintf("cells/%s.img", p->sys->cells[i].name);
		rc = out_write(o, path, p->pc[i].image, p->pc[i].image_size,
			       false);
		free(path);
		if (rc || !p->pc[i].initrd)
			continue;
		path = xasprintf("cells/%s.initrd", p->sys->cells[i].name);
		rc = out_write(o, path, p->pc[i].initrd, p->pc[i].initrd_size,
			       false);
		free(path);
	}
	return rc;
}
