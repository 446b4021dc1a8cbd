/* SPDX-License-Identifier: MIT */
/*
 * Validation of sph blobs (see abi.h), shared by `sphc dump` and the runtime.
 *
 * Freestanding: only <stdint.h> and <stddef.h>, no allocation, no libc. The
 * caller owns the buffer. sph_blob_validate() reads every field byte by
 * byte as little-endian, so the buffer may have any alignment and the host
 * any byte order.
 *
 * Once a blob has validated, the accessors below give typed pointers into
 * it. They cast, so they need a little-endian CPU (AArch64, x86) and a
 * buffer aligned to 8 bytes.
 */
#ifndef SPH_BLOB_H
#define SPH_BLOB_H

#include <stddef.h>
#include <stdint.h>

#include "sph/abi.h"

/* Error codes: negative, stable, named by sph_strerror(). */
#define SPH_OK 0
#define SPH_E_TRUNCATED (-1)   /* buffer shorter than the header/total_size */
#define SPH_E_MAGIC (-2)       /* magic is not SPH_MAGIC */
#define SPH_E_VERSION (-3)     /* version is not SPH_VERSION */
#define SPH_E_HEADER_SIZE (-4) /* header_size is not sizeof(sph_header) */
#define SPH_E_SIZE (-5)	       /* total_size too small or not 8-aligned */
#define SPH_E_CRC (-6)	       /* CRC-32 does not match */
#define SPH_E_KIND (-7)	       /* kind is not SPH_KIND_* */
#define SPH_E_FLAGS (-8)       /* a flags field has undefined bits set */
#define SPH_E_ALIGN (-9)       /* an array offset is not 8-aligned */
#define SPH_E_BOUNDS (-10)     /* an array reaches outside the blob */
#define SPH_E_OVERLAP (-11)    /* two arrays overlap */
#define SPH_E_COUNT (-12)      /* an array has a count it cannot have */
#define SPH_E_STRINGS (-13)    /* string table empty or not NUL-terminated */
#define SPH_E_STRING (-14)     /* a string offset outside the string table */
#define SPH_E_INDEX (-15)      /* an index outside its array */
#define SPH_E_RANGE (-16)      /* a (first, count) range outside its array */
#define SPH_E_VALUE (-17)      /* a field with a value it cannot have */
#define SPH_E_RESERVED (-18)   /* a reserved field is not zero */

/* Where validation failed. */
struct sph_blob_error {
	int code;	   /* SPH_E_*, 0 when valid */
	uint32_t offset;   /* byte offset of the failing field in the blob */
	const char *array; /* "header", "cell", "region", ... */
	uint32_t index;	   /* entry in that array (0 for the header) */
	const char *field; /* the field, e.g. "first_region" */
};

/*
 * sph_blob_validate - check the blob in @buf (@len bytes available; the
 * blob may be shorter: total_size says how long it is). Checks, in order:
 * header size, magic, version, header_size, total_size, CRC-32, kind,
 * flags; every array 8-aligned, inside the blob, with a possible count;
 * arrays pairwise disjoint; the string table starting and ending with NUL;
 * every string offset inside the string table; every index inside its
 * array; each cell's region, irq and dtb ranges inside their arrays;
 * each shared region's access range inside the access array; known flag
 * bits only; reserved fields zero.
 * Returns 0 or a negative SPH_E_* code, also stored in @err (may be NULL).
 */
int sph_blob_validate(const void *buf, size_t len, struct sph_blob_error *err);

/* sph_strerror - a one-line description of an SPH_E_* code. */
const char *sph_strerror(int code);

/*
 * sph_crc32 - continue a CRC-32 (IEEE 802.3, as zlib's crc32()) over @n
 * bytes; start with crc = 0.
 */
uint32_t sph_crc32(uint32_t crc, const void *p, size_t n);

/* sph_blob_crc32 - the CRC a blob's header must hold (crc32 field as 0). */
uint32_t sph_blob_crc32(const void *blob, uint32_t total_size);

/* --- typed access to a validated, 8-aligned blob (little-endian CPU) --- */

#define SPH_ARRAY(h, field, type)                                              \
	((const type *)((const uint8_t *)(h) + (h)->field.offset))

static inline const struct sph_platform *
sph_platform(const struct sph_header *h)
{
	return SPH_ARRAY(h, platform, struct sph_platform);
}

static inline const struct sph_hypervisor *
sph_hypervisor(const struct sph_header *h)
{
	return SPH_ARRAY(h, hypervisor, struct sph_hypervisor);
}

static inline const struct sph_cpu *sph_cpus(const struct sph_header *h)
{
	return SPH_ARRAY(h, cpus, struct sph_cpu);
}

static inline const struct sph_cell *sph_cells(const struct sph_header *h)
{
	return SPH_ARRAY(h, cells, struct sph_cell);
}

static inline const struct sph_region *sph_regions(const struct sph_header *h)
{
	return SPH_ARRAY(h, regions, struct sph_region);
}

static inline const struct sph_irq *sph_irqs(const struct sph_header *h)
{
	return SPH_ARRAY(h, irqs, struct sph_irq);
}

static inline const struct sph_shared *sph_shareds(const struct sph_header *h)
{
	return SPH_ARRAY(h, shared, struct sph_shared);
}

static inline const struct sph_access *sph_accesses(const struct sph_header *h)
{
	return SPH_ARRAY(h, access, struct sph_access);
}

/* sph_string - the string at offset @off of the string table. */
static inline const char *sph_string(const struct sph_header *h, uint32_t off)
{
	return (const char *)h + h->strings.offset + off;
}

/* sph_data - the bytes at offset @off of the data array. */
static inline const uint8_t *sph_data(const struct sph_header *h, uint32_t off)
{
	return (const uint8_t *)h + h->data.offset + off;
}

#endif
