// SPDX-License-Identifier: MIT
/*
 * sph blob validation: freestanding (no libc, no allocation), so the
 * runtime links the very code `sphc dump` runs on the host.
 *
 * Fields are read byte by byte as little-endian: no alignment or byte-order
 * assumption about the caller's buffer. Structure initialisers and copies
 * are avoided so the compiler emits no implicit memset/memcpy calls.
 */
#include <stddef.h>
#include <stdint.h>

#include "sph/blob.h"

struct vctx {
	const uint8_t *b;
	uint32_t size; /* total_size, once checked */
	uint32_t kind;
	struct sph_blob_error *err;
};

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int fail(struct vctx *v, int code, uint32_t offset, const char *array,
		uint32_t index, const char *field)
{
	if (v->err) {
		v->err->code = code;
		v->err->offset = offset;
		v->err->array = array;
		v->err->index = index;
		v->err->field = field;
	}
	return code;
}

#ifdef __ARM_FEATURE_CRC32
#include <arm_acle.h>

/* CRC-32 (the same polynomial) with the CRC32 instructions, 8 bytes at a
 * time: the runtime checks the blob before any cell starts. */
uint32_t sph_crc32(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *b = p;

	crc = ~crc;
	for (; n && (uintptr_t)b & 7; n--)
		crc = __crc32b(crc, *b++);
	for (; n >= 8; n -= 8, b += 8)
		crc = __crc32d(crc, *(const uint64_t *)(const void *)b);
	for (; n; n--)
		crc = __crc32b(crc, *b++);
	return ~crc;
}
#else
/* CRC-32, reflected polynomial 0xEDB88320, four bits at a time. */
static const uint32_t crc_nibble[16] = {
	0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4,
	0x4DB26158, 0x5005713C, 0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C,
	0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
};

uint32_t sph_crc32(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	crc = ~crc;
	for (i = 0; i < n; i++) {
		crc ^= b[i];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}
#endif

uint32_t sph_blob_crc32(const void *blob, uint32_t total_size)
{
	static const uint8_t zero[4];
	const uint8_t *b = blob;
	uint32_t at = offsetof(struct sph_header, crc32);
	uint32_t crc;

	crc = sph_crc32(0, b, at);
	crc = sph_crc32(crc, zero, 4);
	return sph_crc32(crc, b + at + 4, total_size - at - 4);
}

const char *sph_strerror(int code)
{
	switch (code) {
	case SPH_OK:
		return "valid";
	case SPH_E_TRUNCATED:
		return "blob truncated: fewer bytes than the header or total_size";
	case SPH_E_MAGIC:
		return "bad magic: not an sph blob";
	case SPH_E_VERSION:
		return "unsupported blob version";
	case SPH_E_HEADER_SIZE:
		return "header_size does not match this ABI";
	case SPH_E_SIZE:
		return "total_size smaller than the header or not a multiple of 8";
	case SPH_E_CRC:
		return "CRC-32 mismatch: the blob is corrupted";
	case SPH_E_KIND:
		return "unknown blob kind";
	case SPH_E_FLAGS:
		return "undefined flag bits set";
	case SPH_E_ALIGN:
		return "array offset not 8-byte aligned";
	case SPH_E_BOUNDS:
		return "array reaches outside the blob";
	case SPH_E_OVERLAP:
		return "two arrays overlap";
	case SPH_E_COUNT:
		return "impossible array count";
	case SPH_E_STRINGS:
		return "string table empty or not NUL-terminated";
	case SPH_E_STRING:
		return "string offset outside the string table";
	case SPH_E_INDEX:
		return "index outside its array";
	case SPH_E_RANGE:
		return "range outside its array";
	case SPH_E_VALUE:
		return "field holds an impossible value";
	case SPH_E_RESERVED:
		return "reserved field not zero";
	default:
		return "unknown error";
	}
}

/* The arrays of the header, in header order. */
enum {
	A_PLATFORM,
	A_HYPERVISOR,
	A_CPUS,
	A_CELLS,
	A_REGIONS,
	A_IRQS,
	A_SHARED,
	A_ACCESS,
	A_STRINGS,
	A_DATA,
	A_COUNT
};

#define HDR(f) ((uint16_t)offsetof(struct sph_header, f))

static const struct {
	const char *name;  /* of an entry */
	const char *hname; /* of the header field */
	uint16_t hdr;	   /* offset of its sph_array in the header */
	uint16_t esize;	   /* bytes per entry */
} arrays[A_COUNT] = {
	{ "platform", "platform", HDR(platform), sizeof(struct sph_platform) },
	{ "hypervisor", "hypervisor", HDR(hypervisor),
	  sizeof(struct sph_hypervisor) },
	{ "cpu", "cpus", HDR(cpus), sizeof(struct sph_cpu) },
	{ "cell", "cells", HDR(cells), sizeof(struct sph_cell) },
	{ "region", "regions", HDR(regions), sizeof(struct sph_region) },
	{ "irq", "irqs", HDR(irqs), sizeof(struct sph_irq) },
	{ "shared", "shared", HDR(shared), sizeof(struct sph_shared) },
	{ "access", "access", HDR(access), sizeof(struct sph_access) },
	{ "strings", "strings", HDR(strings), 1 },
	{ "data", "data", HDR(data), 1 },
};

struct arr {
	uint32_t off, count;
};

/* Offset in the blob of field at @foff of entry @i of array @a. */
static uint32_t at(const struct arr *t, int a, uint32_t i, uint32_t foff)
{
	return t[a].off + i * arrays[a].esize + foff;
}

static int check_arrays(struct vctx *v, struct arr *t)
{
	uint64_t end_i, end_j;
	uint32_t h;
	int i, j;

	for (i = 0; i < A_COUNT; i++) {
		h = arrays[i].hdr;
		t[i].off = rd32(v->b + h);
		t[i].count = rd32(v->b + h + 4);
		if (t[i].off % 8)
			return fail(v, SPH_E_ALIGN, h, "header", 0,
				    arrays[i].hname);
		if (t[i].off < sizeof(struct sph_header) ||
		    t[i].off > v->size ||
		    (uint64_t)t[i].count * arrays[i].esize > v->size - t[i].off)
			return fail(v, SPH_E_BOUNDS, h, "header", 0,
				    arrays[i].hname);
	}
	if (t[A_PLATFORM].count != 1)
		return fail(v, SPH_E_COUNT, HDR(platform) + 4, "header", 0,
			    "platform");
	if (t[A_HYPERVISOR].count != 1)
		return fail(v, SPH_E_COUNT, HDR(hypervisor) + 4, "header", 0,
			    "hypervisor");
	if (t[A_CPUS].count > SPH_MAX_CPUS)
		return fail(v, SPH_E_COUNT, HDR(cpus) + 4, "header", 0, "cpus");
	if (t[A_CELLS].count < 1 ||
	    (v->kind == SPH_KIND_CELL && t[A_CELLS].count != 1))
		return fail(v, SPH_E_COUNT, HDR(cells) + 4, "header", 0,
			    "cells");
	for (i = 0; i < A_COUNT; i++) {
		end_i = t[i].off + (uint64_t)t[i].count * arrays[i].esize;
		for (j = i + 1; j < A_COUNT; j++) {
			end_j = t[j].off +
				(uint64_t)t[j].count * arrays[j].esize;
			if (end_i == t[i].off || end_j == t[j].off)
				continue;
			if (t[i].off < end_j && t[j].off < end_i)
				return fail(v, SPH_E_OVERLAP, arrays[j].hdr,
					    "header", 0, arrays[j].hname);
		}
	}
	if (t[A_STRINGS].count < 1 || v->b[t[A_STRINGS].off] != 0 ||
	    v->b[t[A_STRINGS].off + t[A_STRINGS].count - 1] != 0)
		return fail(v, SPH_E_STRINGS, HDR(strings) + 4, "header", 0,
			    "strings");
	return 0;
}

/* Field readers for entry @i of array @a: offset of the field, its value. */
#define F(type, f) ((uint32_t)offsetof(type, f))
#define FIELD32(a, i, type, f) rd32(v->b + at(t, a, i, F(type, f)))

static int check_string(struct vctx *v, const struct arr *t, int a, uint32_t i,
			uint32_t foff, const char *field)
{
	if (rd32(v->b + at(t, a, i, foff)) >= t[A_STRINGS].count)
		return fail(v, SPH_E_STRING, at(t, a, i, foff), arrays[a].name,
			    i, field);
	return 0;
}

/* [first, first + num) within [0, limit) */
static int check_range(struct vctx *v, const struct arr *t, int a, uint32_t i,
		       uint32_t foff, uint32_t limit, const char *field)
{
	uint32_t first = rd32(v->b + at(t, a, i, foff));
	uint32_t num = rd32(v->b + at(t, a, i, foff + 4));

	if (first > limit || num > limit - first)
		return fail(v, SPH_E_RANGE, at(t, a, i, foff), arrays[a].name,
			    i, field);
	return 0;
}

static int check_zero(struct vctx *v, const struct arr *t, int a, uint32_t i,
		      uint32_t foff, uint32_t bytes, const char *field)
{
	uint32_t k;

	for (k = 0; k < bytes; k++)
		if (v->b[at(t, a, i, foff + k)])
			return fail(v, SPH_E_RESERVED, at(t, a, i, foff),
				    arrays[a].name, i, field);
	return 0;
}

static int check_flags(struct vctx *v, const struct arr *t, int a, uint32_t i,
		       uint32_t foff, uint32_t bytes, uint32_t known)
{
	uint32_t val = bytes == 1 ? v->b[at(t, a, i, foff)]
				  : rd32(v->b + at(t, a, i, foff));

	if (val & ~known)
		return fail(v, SPH_E_FLAGS, at(t, a, i, foff), arrays[a].name,
			    i, "flags");
	return 0;
}

#define TRY(x)                                                                 \
	do {                                                                   \
		int rc_ = (x);                                                 \
		if (rc_)                                                       \
			return rc_;                                            \
	} while (0)

static int check_platform(struct vctx *v, const struct arr *t)
{
	uint32_t gic = FIELD32(A_PLATFORM, 0, struct sph_platform, gic_version);
	uint32_t con =
		FIELD32(A_PLATFORM, 0, struct sph_platform, console_type);
	uint32_t page = FIELD32(A_PLATFORM, 0, struct sph_platform, page_size);

	if (gic != 2 && gic != 3)
		return fail(v, SPH_E_VALUE,
			    at(t, A_PLATFORM, 0,
			       F(struct sph_platform, gic_version)),
			    "platform", 0, "gic_version");
	if (con > SPH_CONSOLE_8250)
		return fail(v, SPH_E_VALUE,
			    at(t, A_PLATFORM, 0,
			       F(struct sph_platform, console_type)),
			    "platform", 0, "console_type");
	if (page < 4096 || (page & (page - 1)))
		return fail(
			v, SPH_E_VALUE,
			at(t, A_PLATFORM, 0, F(struct sph_platform, page_size)),
			"platform", 0, "page_size");
	TRY(check_string(v, t, A_PLATFORM, 0,
			 F(struct sph_platform, board_name), "board_name"));
	return check_zero(v, t, A_PLATFORM, 0, F(struct sph_platform, reserved),
			  4, "reserved");
}

static int check_hypervisor(struct vctx *v, const struct arr *t)
{
	TRY(check_flags(v, t, A_HYPERVISOR, 0, F(struct sph_hypervisor, flags),
			4, SPH_REGION_COLORED));
	return check_zero(v, t, A_HYPERVISOR, 0,
			  F(struct sph_hypervisor, reserved), 4, "reserved");
}

static int check_cpus(struct vctx *v, const struct arr *t)
{
	uint32_t i, cell;

	for (i = 0; i < t[A_CPUS].count; i++) {
		if (FIELD32(A_CPUS, i, struct sph_cpu, id) >= SPH_MAX_CPUS)
			return fail(v, SPH_E_VALUE,
				    at(t, A_CPUS, i, F(struct sph_cpu, id)),
				    "cpu", i, "id");
		cell = FIELD32(A_CPUS, i, struct sph_cpu, cell);
		if (cell != SPH_NO_INDEX && cell >= t[A_CELLS].count)
			return fail(v, SPH_E_INDEX,
				    at(t, A_CPUS, i, F(struct sph_cpu, cell)),
				    "cpu", i, "cell");
	}
	return 0;
}

static int check_cells(struct vctx *v, const struct arr *t)
{
	uint32_t i, off, size;

	for (i = 0; i < t[A_CELLS].count; i++) {
		TRY(check_string(v, t, A_CELLS, i, F(struct sph_cell, name),
				 "name"));
		if (v->kind == SPH_KIND_SYSTEM &&
		    FIELD32(A_CELLS, i, struct sph_cell, id) != i)
			return fail(v, SPH_E_VALUE,
				    at(t, A_CELLS, i, F(struct sph_cell, id)),
				    "cell", i, "id");
		TRY(check_flags(v, t, A_CELLS, i, F(struct sph_cell, flags), 4,
				SPH_CELL_CRITICAL));
		TRY(check_range(v, t, A_CELLS, i,
				F(struct sph_cell, first_region),
				t[A_REGIONS].count, "first_region"));
		TRY(check_range(v, t, A_CELLS, i, F(struct sph_cell, first_irq),
				t[A_IRQS].count, "first_irq"));
		off = FIELD32(A_CELLS, i, struct sph_cell, dtb_offset);
		size = FIELD32(A_CELLS, i, struct sph_cell, dtb_size);
		if (off > t[A_DATA].count || size > t[A_DATA].count - off)
			return fail(v, SPH_E_RANGE,
				    at(t, A_CELLS, i,
				       F(struct sph_cell, dtb_offset)),
				    "cell", i, "dtb_offset");
	}
	return 0;
}

static int check_regions(struct vctx *v, const struct arr *t)
{
	uint32_t i, flags, shared;

	for (i = 0; i < t[A_REGIONS].count; i++) {
		TRY(check_flags(
			v, t, A_REGIONS, i, F(struct sph_region, flags), 4,
			SPH_REGION_READ | SPH_REGION_WRITE | SPH_REGION_EXEC |
				SPH_REGION_IO | SPH_REGION_COLORED |
				SPH_REGION_SHARED));
		flags = FIELD32(A_REGIONS, i, struct sph_region, flags);
		shared = FIELD32(A_REGIONS, i, struct sph_region, shared);
		if (shared != SPH_NO_INDEX && shared >= t[A_SHARED].count)
			return fail(v, SPH_E_INDEX,
				    at(t, A_REGIONS, i,
				       F(struct sph_region, shared)),
				    "region", i, "shared");
		if (!(flags & SPH_REGION_SHARED) != (shared == SPH_NO_INDEX))
			return fail(v, SPH_E_VALUE,
				    at(t, A_REGIONS, i,
				       F(struct sph_region, shared)),
				    "region", i, "shared");
		TRY(check_string(v, t, A_REGIONS, i,
				 F(struct sph_region, device), "device"));
		TRY(check_zero(v, t, A_REGIONS, i,
			       F(struct sph_region, reserved), 4, "reserved"));
	}
	return 0;
}

static int check_irqs(struct vctx *v, const struct arr *t)
{
	uint32_t i;

	for (i = 0; i < t[A_IRQS].count; i++) {
		if (FIELD32(A_IRQS, i, struct sph_irq, intid) >= 1020)
			return fail(v, SPH_E_VALUE,
				    at(t, A_IRQS, i, F(struct sph_irq, intid)),
				    "irq", i, "intid");
		TRY(check_flags(v, t, A_IRQS, i, F(struct sph_irq, flags), 1,
				SPH_IRQ_EDGE));
		TRY(check_zero(v, t, A_IRQS, i, F(struct sph_irq, reserved), 2,
			       "reserved"));
	}
	return 0;
}

static int check_shared(struct vctx *v, const struct arr *t)
{
	uint32_t i;

	for (i = 0; i < t[A_SHARED].count; i++) {
		TRY(check_string(v, t, A_SHARED, i, F(struct sph_shared, name),
				 "name"));
		TRY(check_flags(v, t, A_SHARED, i, F(struct sph_shared, flags),
				4, SPH_SHARED_DOORBELL));
		TRY(check_range(v, t, A_SHARED, i,
				F(struct sph_shared, first_access),
				t[A_ACCESS].count, "first_access"));
		TRY(check_zero(v, t, A_SHARED, i,
			       F(struct sph_shared, reserved), 4, "reserved"));
	}
	for (i = 0; i < t[A_ACCESS].count; i++) {
		if (FIELD32(A_ACCESS, i, struct sph_access, cell) >=
		    t[A_CELLS].count)
			return fail(
				v, SPH_E_INDEX,
				at(t, A_ACCESS, i, F(struct sph_access, cell)),
				"access", i, "cell");
		TRY(check_flags(v, t, A_ACCESS, i, F(struct sph_access, flags),
				4, SPH_ACCESS_WRITE));
	}
	return 0;
}

int sph_blob_validate(const void *buf, size_t len, struct sph_blob_error *err)
{
	struct arr t[A_COUNT];
	struct vctx v;
	uint32_t total;

	v.b = buf;
	v.size = 0;
	v.kind = 0;
	v.err = err;
	if (err) {
		err->code = 0;
		err->offset = 0;
		err->array = "header";
		err->index = 0;
		err->field = "";
	}
	if (len < sizeof(struct sph_header))
		return fail(&v, SPH_E_TRUNCATED, 0, "header", 0, "total_size");
	if (rd32(v.b + HDR(magic)) != SPH_MAGIC)
		return fail(&v, SPH_E_MAGIC, HDR(magic), "header", 0, "magic");
	if (rd16(v.b + HDR(version)) != SPH_VERSION)
		return fail(&v, SPH_E_VERSION, HDR(version), "header", 0,
			    "version");
	if (rd16(v.b + HDR(header_size)) != sizeof(struct sph_header))
		return fail(&v, SPH_E_HEADER_SIZE, HDR(header_size), "header",
			    0, "header_size");
	total = rd32(v.b + HDR(total_size));
	if (total < sizeof(struct sph_header) || total % 8)
		return fail(&v, SPH_E_SIZE, HDR(total_size), "header", 0,
			    "total_size");
	if (total > len)
		return fail(&v, SPH_E_TRUNCATED, HDR(total_size), "header", 0,
			    "total_size");
	v.size = total;
	if (rd32(v.b + HDR(crc32)) != sph_blob_crc32(buf, total))
		return fail(&v, SPH_E_CRC, HDR(crc32), "header", 0, "crc32");
	v.kind = rd32(v.b + HDR(kind));
	if (v.kind != SPH_KIND_SYSTEM && v.kind != SPH_KIND_CELL)
		return fail(&v, SPH_E_KIND, HDR(kind), "header", 0, "kind");
	if (rd32(v.b + HDR(flags)))
		return fail(&v, SPH_E_FLAGS, HDR(flags), "header", 0, "flags");
	TRY(check_arrays(&v, t));
	TRY(check_platform(&v, t));
	TRY(check_hypervisor(&v, t));
	TRY(check_cpus(&v, t));
	TRY(check_cells(&v, t));
	TRY(check_regions(&v, t));
	TRY(check_irqs(&v, t));
	TRY(check_shared(&v, t));
	return 0;
}
