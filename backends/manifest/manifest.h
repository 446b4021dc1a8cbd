/* SPDX-License-Identifier: MIT */
/*
 * JSON for blob entries, shared by the manifest backend and `sphc dump
 * --format=json`: both describe cells, regions, interrupts and shared
 * regions with these objects, so their output can be compared key by key.
 * Addresses and sizes are JSON integers.
 */
#ifndef SPHC_MANIFEST_H
#define SPHC_MANIFEST_H

#include <jansson.h>

#include "sph/abi.h"

json_t *mf_colors(const uint64_t *words); /* [c, ...] */
json_t *mf_cpus(uint64_t mask);		  /* [id, ...] */
json_t *mf_region_flags(uint32_t flags);  /* ["read", ...] */
json_t *mf_region(const struct sph_region *r, const char *shared,
		  const char *device);
json_t *mf_irq(const struct sph_irq *q);
/* name, id, critical, boot_order, cpus, colors, entry, image, dtb */
json_t *mf_cell_head(const struct sph_cell *c, const char *name);
json_t *mf_hypervisor(const struct sph_hypervisor *h);
/* name, pa, size, doorbell */
json_t *mf_shared_head(const struct sph_shared *s, const char *name);

#endif
