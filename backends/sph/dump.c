// SPDX-License-Identifier: MIT
/*
 * The reader of the sph blob (`sphc dump`): validated with the runtime's own
 * validator (hypervisor/lib/blob.c), then printed as YAML for people
 * (addresses in hex) or JSON for programs (the manifest's keys, integers).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/manifest/manifest.h"
#include "backends/sph/dump.h"
#include "sph/blob.h"
#include "lib/util.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "sphc dump reads blobs in place: it needs a little-endian host"
#endif

/* --- the blob as a JSON tree -------------------------------------------- */

static json_t *jint(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static const char *console_name(uint32_t t)
{
	switch (t) {
	case SPH_CONSOLE_PL011:
		return "pl011";
	case SPH_CONSOLE_XUARTPS:
		return "xuartps";
	case SPH_CONSOLE_8250:
		return "8250";
	default:
		return "none";
	}
}

static json_t *layout(const struct sph_header *h)
{
	static const char *const names[] = {
		"platform", "hypervisor", "cpus",   "cells",   "regions",
		"irqs",	    "shared",	  "access", "strings", "data",
	};
	const struct sph_array *a = &h->platform;
	json_t *o = json_object(), *e;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		e = json_object();
		json_object_set_new(e, "offset", json_integer(a[i].offset));
		json_object_set_new(e, "count", json_integer(a[i].count));
		json_object_set_new(o, names[i], e);
	}
	return o;
}

static json_t *platform(const struct sph_header *h)
{
	const struct sph_platform *p = sph_platform(h);
	json_t *o = json_object();

	json_object_set_new(o, "board",
			    json_string(sph_string(h, p->board_name)));
	json_object_set_new(o, "gic_version", json_integer(p->gic_version));
	json_object_set_new(o, "gicd_base", jint(p->gicd_base));
	json_object_set_new(o, "gicd_size", jint(p->gicd_size));
	json_object_set_new(o, "gicr_base", jint(p->gicr_base));
	json_object_set_new(o, "gicr_size", jint(p->gicr_size));
	json_object_set_new(o, "gicr_stride", jint(p->gicr_stride));
	json_object_set_new(o, "gicc_base", jint(p->gicc_base));
	json_object_set_new(o, "gicc_size", jint(p->gicc_size));
	json_object_set_new(o, "gich_base", jint(p->gich_base));
	json_object_set_new(o, "gicv_base", jint(p->gicv_base));
	json_object_set_new(o, "gicv_size", jint(p->gicv_size));
	json_object_set_new(o, "spis", json_integer(p->spis));
	json_object_set_new(o, "maintenance_irq",
			    json_integer(p->maintenance_irq));
	json_object_set_new(o, "timer_hyp", json_integer(p->timer_hyp));
	json_object_set_new(o, "timer_virt", json_integer(p->timer_virt));
	json_object_set_new(o, "timer_phys", json_integer(p->timer_phys));
	json_object_set_new(o, "console_type",
			    json_string(console_name(p->console_type)));
	json_object_set_new(o, "console_base", jint(p->console_base));
	json_object_set_new(o, "console_size", jint(p->console_size));
	json_object_set_new(o, "console_irq", json_integer(p->console_irq));
	json_object_set_new(o, "page_size", json_integer(p->page_size));
	json_object_set_new(o, "num_colors", json_integer(p->num_colors));
	return o;
}

static const char *cell_name(const struct sph_header *h, uint32_t i)
{
	return sph_string(h, sph_cells(h)[i].name);
}

static json_t *blob_json(const struct sph_header *h)
{
	const struct sph_cell *cells = sph_cells(h);
	const struct sph_region *regions = sph_regions(h);
	const struct sph_shared *shared = sph_shareds(h);
	json_t *o = json_object(), *a, *e, *sub;
	char crc[16];
	uint32_t i, j;

	json_object_set_new(
		o, "kind",
		json_string(h->kind == SPH_KIND_SYSTEM ? "system" : "cell"));
	json_object_set_new(o, "version", json_integer(h->version));
	json_object_set_new(o, "total_size", json_integer(h->total_size));
	snprintf(crc, sizeof(crc), "0x%08x", h->crc32);
	json_object_set_new(o, "crc32", json_string(crc));
	json_object_set_new(o, "layout", layout(h));
	json_object_set_new(o, "platform", platform(h));
	json_object_set_new(o, "hypervisor", mf_hypervisor(sph_hypervisor(h)));

	a = json_array();
	for (i = 0; i < h->cpus.count; i++) {
		const struct sph_cpu *c = &sph_cpus(h)[i];

		e = json_object();
		json_object_set_new(e, "id", json_integer(c->id));
		json_object_set_new(e, "mpidr", jint(c->mpidr));
		json_object_set_new(
			e, "cell",
			c->cell == SPH_NO_INDEX
				? json_null()
				: json_string(cell_name(h, c->cell)));
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "cpus", a);

	a = json_array();
	for (i = 0; i < h->cells.count; i++) {
		const struct sph_cell *c = &cells[i];

		e = mf_cell_head(c, sph_string(h, c->name));
		json_object_set_new(json_object_get(e, "dtb"), "offset",
				    json_integer(c->dtb_offset));
		sub = json_array();
		for (j = 0; j < c->num_regions; j++) {
			const struct sph_region *r =
				&regions[c->first_region + j];

			json_array_append_new(
				sub,
				mf_region(r,
					  r->shared == SPH_NO_INDEX
						  ? NULL
						  : sph_string(h,
							       shared[r->shared]
								       .name),
					  sph_string(h, r->device)));
		}
		json_object_set_new(e, "regions", sub);
		sub = json_array();
		for (j = 0; j < c->num_irqs; j++)
			json_array_append_new(
				sub, mf_irq(&sph_irqs(h)[c->first_irq + j]));
		json_object_set_new(e, "irqs", sub);
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "cells", a);

	a = json_array();
	for (i = 0; i < h->shared.count; i++) {
		const struct sph_shared *s = &shared[i];

		e = mf_shared_head(s, sph_string(h, s->name));
		sub = json_object();
		for (j = 0; j < s->num_access; j++) {
			const struct sph_access *ac =
				&sph_accesses(h)[s->first_access + j];

			json_object_set_new(
				sub, cell_name(h, ac->cell),
				json_string(ac->flags & SPH_ACCESS_WRITE
						    ? "rw"
						    : "ro"));
		}
		json_object_set_new(e, "access", sub);
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "shared", a);
	return o;
}

/* --- YAML rendering of the tree ------------------------------------------ */

/* Integers under these keys are addresses or sizes: shown in hex. */
static bool hex_key(const char *k)
{
	static const char *const exact[] = {
		"pa",	  "span",  "ipa", "size",    "entry",	   "mpidr",
		"offset", "start", "end", "address", "total_size",
	};
	size_t i, n = k ? strlen(k) : 0;

	if (!k)
		return false;
	for (i = 0; i < ARRAY_SIZE(exact); i++)
		if (!strcmp(k, exact[i]))
			return true;
	return (n > 5 && !strcmp(k + n - 5, "_base")) ||
	       (n > 5 && !strcmp(k + n - 5, "_size") &&
		strcmp(k, "page_size")) ||
	       (n > 7 && !strcmp(k + n - 7, "_stride"));
}

static bool plain_ok(const char *s)
{
	static const char *const reserved[] = {
		"true", "false", "null", "yes", "no",
		"on",	"off",	 "y",	 "n",	"~",
	};
	size_t i;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	      *s == '_'))
		return false;
	for (i = 0; i < ARRAY_SIZE(reserved); i++)
		if (!strcasecmp(s, reserved[i]))
			return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		      *s == '.' || *s == ','))
			return false;
	return true;
}

static void yaml_scalar(FILE *f, const char *key, json_t *v)
{
	const char *s;

	switch (json_typeof(v)) {
	case JSON_INTEGER:
		if (hex_key(key))
			fprintf(f, "0x%llx",
				(unsigned long long)json_integer_value(v));
		else
			fprintf(f, "%lld", (long long)json_integer_value(v));
		break;
	case JSON_TRUE:
		fputs("true", f);
		break;
	case JSON_FALSE:
		fputs("false", f);
		break;
	case JSON_NULL:
		fputs("null", f);
		break;
	case JSON_STRING:
		s = json_string_value(v);
		if (plain_ok(s)) {
			fputs(s, f);
			break;
		}
		fputc('"', f);
		for (; *s; s++)
			if (*s == '"' || *s == '\\')
				fprintf(f, "\\%c", *s);
			else if ((unsigned char)*s < 0x20)
				fprintf(f, "\\x%02x", (unsigned char)*s);
			else
				fputc(*s, f);
		fputc('"', f);
		break;
	default:
		break;
	}
}

static bool is_scalar(json_t *v)
{
	return !json_is_object(v) && !json_is_array(v);
}

/* Scalars only (or lists of them): fits on one line as a flow collection. */
static bool is_flat(json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;

	if (is_scalar(v))
		return true;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (!is_scalar(x))
				return false;
		return true;
	}
	json_object_foreach(v, k, x)
		if (!is_scalar(x) && !(json_is_array(x) && is_flat(x)))
			return false;
	return true;
}

static void yaml_flow(FILE *f, const char *key, json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;

	if (is_scalar(v)) {
		yaml_scalar(f, key, v);
	} else if (json_is_array(v)) {
		fputc('[', f);
		json_array_foreach(v, i, x) {
			fputs(i ? ", " : "", f);
			yaml_flow(f, key, x);
		}
		fputc(']', f);
	} else if (!json_object_size(v)) {
		fputs("{}", f);
	} else {
		fputs("{ ", f);
		i = 0;
		json_object_foreach(v, k, x) {
			fprintf(f, "%s%s: ", i++ ? ", " : "", k);
			yaml_flow(f, k, x);
		}
		fputs(" }", f);
	}
}

static void yaml_block(FILE *f, json_t *obj, int indent, bool inline_first);

static void yaml_value(FILE *f, const char *key, json_t *v, int indent)
{
	json_t *x;
	size_t i;

	if (is_flat(v) && !(json_is_object(v) && json_object_size(v) > 6)) {
		fputc(' ', f);
		yaml_flow(f, key, v);
		fputc('\n', f);
	} else if (json_is_object(v) && is_flat(v)) {
		fputc('\n', f);
		yaml_block(f, v, indent + 2, false);
	} else if (json_is_array(v)) {
		fputc('\n', f);
		json_array_foreach(v, i, x) {
			fprintf(f, "%*s- ", indent, "");
			if (is_flat(x)) {
				yaml_flow(f, key, x);
				fputc('\n', f);
			} else {
				/* the first key on the dash line */
				yaml_block(f, x, indent + 2, true);
			}
		}
	} else {
		fputc('\n', f);
		yaml_block(f, v, indent + 2, false);
	}
}

static void yaml_block(FILE *f, json_t *obj, int indent, bool inline_first)
{
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v) {
		fprintf(f, "%*s%s:", inline_first ? 0 : indent, "", k);
		inline_first = false;
		yaml_value(f, k, v, indent);
	}
}

/* --- validate, then print --------------------------------------------- */

int sph_dump(const uint8_t *buf, size_t len, const char *path, bool json,
	     FILE *out)
{
	const struct sph_header *h = (const struct sph_header *)buf;
	struct sph_blob_error err;
	json_t *tree;
	int rc = sph_blob_validate(buf, len, &err);

	if (rc) {
		fprintf(stderr,
			"sphc: error: %s: invalid blob: %s (%s) at offset 0x%x, %s",
			path, sph_strerror(rc), err.field, err.offset,
			err.array);
		if (strcmp(err.array, "header"))
			fprintf(stderr, "[%u]", err.index);
		fputc('\n', stderr);
		return 1;
	}
	if (h->total_size != len) {
		fprintf(stderr,
			"sphc: error: %s: invalid blob: %zu bytes after its total_size (0x%x)\n",
			path, len - h->total_size, h->total_size);
		return 1;
	}
	tree = blob_json(h);
	if (json) {
		char *text =
			json_dumps(tree, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		if (text) {
			fputs(text, out);
			fputc('\n', out);
		}
		free(text);
	} else {
		yaml_block(out, tree, 0, false);
	}
	json_decref(tree);
	return fflush(out) ? 2 : 0;
}
