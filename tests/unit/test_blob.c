// SPDX-License-Identifier: MIT
/*
 * The blob validator (hypervisor/lib/blob.c) against blobs the sph backend
 * writes for tests/unit/blob.yaml: valid ones pass; every single-byte
 * corruption fails; each structural check fires, with its offset, on a
 * blob whose CRC was recomputed after the damage.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "check/input.h"
#include "sph/blob.h"
#include "suites.h"

#define SYSTEM "tests/unit/blob.yaml"

struct fixture {
	struct sphc_input in;
	struct diag_list dl;
	struct plan plan;
	uint8_t *sys, *cell;
	size_t sys_len, cell_len;
};

static void fixture_load(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	diag_init(&f->dl);
	ck_assert_int_eq(input_load(&f->in, SYSTEM, NULL, 0, &f->dl), SPHC_OK);
	ck_assert_int_eq(plan_build(&f->plan, &f->in.sys, &f->in.board, NULL,
				    true, &f->dl),
			 0);
	f->sys = sph_blob_make(&f->plan, -1, &f->sys_len);
	f->cell = sph_blob_make(&f->plan, 0, &f->cell_len);
}

static void fixture_free(struct fixture *f)
{
	free(f->sys);
	free(f->cell);
	plan_free(&f->plan);
	input_free(&f->in);
	diag_free(&f->dl);
}

static struct sph_header *hdr(uint8_t *b)
{
	return (struct sph_header *)b;
}

/* Recompute the CRC after a deliberate change, so later checks are reached. */
static void reseal(uint8_t *b)
{
	hdr(b)->crc32 = sph_blob_crc32(b, hdr(b)->total_size);
}

START_TEST(crc32_known_value)
{
	ck_assert_uint_eq(sph_crc32(0, "123456789", 9), 0xCBF43926u);
	ck_assert_uint_eq(sph_crc32(0, "", 0), 0);
	/* Incremental equals one-shot. */
	ck_assert_uint_eq(sph_crc32(sph_crc32(0, "1234", 4), "56789", 5),
			  0xCBF43926u);
}
END_TEST

START_TEST(written_blobs_validate)
{
	struct sph_blob_error err;
	struct fixture f;
	size_t i, len;
	uint8_t *b;

	fixture_load(&f);
	ck_assert_int_eq(sph_blob_validate(f.sys, f.sys_len, &err), 0);
	ck_assert_int_eq(err.code, 0);
	ck_assert_uint_eq(hdr(f.sys)->total_size, f.sys_len);
	ck_assert_uint_eq(hdr(f.sys)->kind, SPH_KIND_SYSTEM);
	ck_assert_uint_eq(hdr(f.sys)->cells.count, 2);
	ck_assert_str_eq(sph_string(hdr(f.sys), sph_cells(hdr(f.sys))[0].name),
			 "rtos");
	ck_assert_str_eq(
		sph_string(hdr(f.sys), sph_platform(hdr(f.sys))->board_name),
		"qemu-aarch64-virt");
	for (i = 0; i < f.plan.ncells; i++) {
		b = sph_blob_make(&f.plan, (int)i, &len);
		ck_assert_int_eq(sph_blob_validate(b, len, &err), 0);
		ck_assert_uint_eq(hdr(b)->kind, SPH_KIND_CELL);
		ck_assert_uint_eq(hdr(b)->cells.count, 1);
		ck_assert_uint_eq(sph_cells(hdr(b))->id, i);
		free(b);
	}
	/* A longer buffer is fine: total_size says where the blob ends. */
	b = calloc(1, f.sys_len + 64);
	memcpy(b, f.sys, f.sys_len);
	ck_assert_int_eq(sph_blob_validate(b, f.sys_len + 64, NULL), 0);
	free(b);
	fixture_free(&f);
}
END_TEST

START_TEST(validation_needs_no_alignment)
{
	struct fixture f;
	uint8_t *b;

	fixture_load(&f);
	b = malloc(f.cell_len + 1);
	memcpy(b + 1, f.cell, f.cell_len);
	ck_assert_int_eq(sph_blob_validate(b + 1, f.cell_len, NULL), 0);
	free(b);
	fixture_free(&f);
}
END_TEST

/* Every byte of a cell blob, inverted or with any one bit flipped, fails. */
START_TEST(every_single_byte_corruption_fails)
{
	static const uint8_t flips[] = { 0xFF, 1, 2, 4, 8, 16, 32, 64, 128 };
	struct sph_blob_error err;
	struct fixture f;
	size_t i, k;

	fixture_load(&f);
	for (i = 0; i < f.cell_len; i++) {
		for (k = 0; k < sizeof(flips); k++) {
			f.cell[i] ^= flips[k];
			if (sph_blob_validate(f.cell, f.cell_len, &err) == 0)
				ck_abort_msg(
					"byte %zu ^ 0x%02x still validates", i,
					flips[k]);
			ck_assert_int_lt(err.code, 0);
			ck_assert_uint_lt(err.offset, f.cell_len);
			f.cell[i] ^= flips[k];
		}
	}
	ck_assert_int_eq(sph_blob_validate(f.cell, f.cell_len, NULL), 0);
	fixture_free(&f);
}
END_TEST

static void expect(uint8_t *b, size_t len, int code, uint32_t offset,
		   const char *field)
{
	struct sph_blob_error err;

	ck_assert_int_eq(sph_blob_validate(b, len, &err), code);
	ck_assert_int_eq(err.code, code);
	ck_assert_uint_eq(err.offset, offset);
	ck_assert_str_eq(err.field, field);
}

#define HOFF(f) ((uint32_t)offsetof(struct sph_header, f))

START_TEST(header_checks)
{
	struct fixture f;
	uint8_t *b;
	size_t n;

	fixture_load(&f);
	n = f.cell_len;
	b = malloc(n);

	memcpy(b, f.cell, n);
	expect(b, sizeof(struct sph_header) - 1, SPH_E_TRUNCATED, 0,
	       "total_size");
	expect(b, n - 8, SPH_E_TRUNCATED, HOFF(total_size), "total_size");
	hdr(b)->magic ^= 1;
	expect(b, n, SPH_E_MAGIC, HOFF(magic), "magic");

	memcpy(b, f.cell, n);
	hdr(b)->version = SPH_VERSION + 1;
	expect(b, n, SPH_E_VERSION, HOFF(version), "version");

	memcpy(b, f.cell, n);
	hdr(b)->header_size = 96;
	expect(b, n, SPH_E_HEADER_SIZE, HOFF(header_size), "header_size");

	memcpy(b, f.cell, n);
	hdr(b)->total_size -= 4;
	expect(b, n, SPH_E_SIZE, HOFF(total_size), "total_size");
	hdr(b)->total_size = 16;
	expect(b, n, SPH_E_SIZE, HOFF(total_size), "total_size");

	memcpy(b, f.cell, n);
	hdr(b)->crc32 ^= 0x80000000u;
	expect(b, n, SPH_E_CRC, HOFF(crc32), "crc32");

	memcpy(b, f.cell, n);
	hdr(b)->kind = 3;
	reseal(b);
	expect(b, n, SPH_E_KIND, HOFF(kind), "kind");

	memcpy(b, f.cell, n);
	hdr(b)->flags = 1;
	reseal(b);
	expect(b, n, SPH_E_FLAGS, HOFF(flags), "flags");

	free(b);
	fixture_free(&f);
}
END_TEST

START_TEST(array_checks)
{
	struct fixture f;
	uint8_t *b;
	size_t n;

	fixture_load(&f);
	n = f.cell_len;
	b = malloc(n);

	memcpy(b, f.cell, n);
	hdr(b)->regions.offset += 4;
	reseal(b);
	expect(b, n, SPH_E_ALIGN, HOFF(regions), "regions");

	memcpy(b, f.cell, n);
	hdr(b)->cpus.count = 0x10000000;
	reseal(b);
	expect(b, n, SPH_E_BOUNDS, HOFF(cpus), "cpus");

	memcpy(b, f.cell, n);
	hdr(b)->data.offset = hdr(b)->total_size + 8;
	hdr(b)->data.count = 0;
	reseal(b);
	expect(b, n, SPH_E_BOUNDS, HOFF(data), "data");

	memcpy(b, f.cell, n);
	hdr(b)->strings.offset = 0;
	reseal(b);
	expect(b, n, SPH_E_BOUNDS, HOFF(strings), "strings");

	memcpy(b, f.cell, n);
	hdr(b)->platform.count = 2;
	reseal(b);
	expect(b, n, SPH_E_COUNT, HOFF(platform) + 4, "platform");

	memcpy(b, f.cell, n);
	hdr(b)->cells.count = 2; /* a cell blob holds one cell */
	reseal(b);
	expect(b, n, SPH_E_COUNT, HOFF(cells) + 4, "cells");

	memcpy(b, f.cell, n);
	hdr(b)->irqs.offset = hdr(b)->regions.offset;
	reseal(b);
	expect(b, n, SPH_E_OVERLAP, HOFF(irqs), "irqs");

	memcpy(b, f.cell, n);
	b[hdr(b)->strings.offset + hdr(b)->strings.count - 1] = 'x';
	reseal(b);
	expect(b, n, SPH_E_STRINGS, HOFF(strings) + 4, "strings");

	memcpy(b, f.cell, n);
	b[hdr(b)->strings.offset] = 'x';
	reseal(b);
	expect(b, n, SPH_E_STRINGS, HOFF(strings) + 4, "strings");

	free(b);
	fixture_free(&f);
}
END_TEST

#define EOFF(b, arr, type, i, f)                                               \
	(hdr(b)->arr.offset +                                                  \
	 (uint32_t)((i) * sizeof(type) + offsetof(type, f)))

START_TEST(entry_checks)
{
	struct sph_platform *pf;
	struct sph_cell *c;
	struct sph_region *r;
	struct fixture f;
	uint8_t *b;
	size_t n, ri;

	fixture_load(&f);
	n = f.sys_len;
	b = malloc(n);

	memcpy(b, f.sys, n);
	pf = (struct sph_platform *)(b + hdr(b)->platform.offset);
	pf->gic_version = 4;
	reseal(b);
	expect(b, n, SPH_E_VALUE,
	       EOFF(b, platform, struct sph_platform, 0, gic_version),
	       "gic_version");

	memcpy(b, f.sys, n);
	pf = (struct sph_platform *)(b + hdr(b)->platform.offset);
	pf->board_name = hdr(b)->strings.count;
	reseal(b);
	expect(b, n, SPH_E_STRING,
	       EOFF(b, platform, struct sph_platform, 0, board_name),
	       "board_name");

	memcpy(b, f.sys, n);
	((struct sph_cpu *)(b + hdr(b)->cpus.offset))[3].cell = 2;
	reseal(b);
	expect(b, n, SPH_E_INDEX, EOFF(b, cpus, struct sph_cpu, 3, cell),
	       "cell");

	memcpy(b, f.sys, n);
	c = (struct sph_cell *)(b + hdr(b)->cells.offset);
	c[1].name = 0xFFFFFFFF;
	reseal(b);
	expect(b, n, SPH_E_STRING, EOFF(b, cells, struct sph_cell, 1, name),
	       "name");

	memcpy(b, f.sys, n);
	c = (struct sph_cell *)(b + hdr(b)->cells.offset);
	c[1].id = 0;
	reseal(b);
	expect(b, n, SPH_E_VALUE, EOFF(b, cells, struct sph_cell, 1, id), "id");

	memcpy(b, f.sys, n);
	c = (struct sph_cell *)(b + hdr(b)->cells.offset);
	c[1].num_regions += 1; /* one past the last region */
	reseal(b);
	expect(b, n, SPH_E_RANGE,
	       EOFF(b, cells, struct sph_cell, 1, first_region),
	       "first_region");

	memcpy(b, f.sys, n);
	c = (struct sph_cell *)(b + hdr(b)->cells.offset);
	c[0].first_irq = 0xFFFFFFFF;
	c[0].num_irqs = 2; /* wraps around without the careful check */
	reseal(b);
	expect(b, n, SPH_E_RANGE, EOFF(b, cells, struct sph_cell, 0, first_irq),
	       "first_irq");

	memcpy(b, f.sys, n);
	c = (struct sph_cell *)(b + hdr(b)->cells.offset);
	c[1].dtb_size = hdr(b)->data.count - c[1].dtb_offset + 1;
	reseal(b);
	expect(b, n, SPH_E_RANGE,
	       EOFF(b, cells, struct sph_cell, 1, dtb_offset), "dtb_offset");

	memcpy(b, f.sys, n);
	c = (struct sph_cell *)(b + hdr(b)->cells.offset);
	c[0].flags = 2;
	reseal(b);
	expect(b, n, SPH_E_FLAGS, EOFF(b, cells, struct sph_cell, 0, flags),
	       "flags");

	/* The IO region of rtos's gpio0 is its last one. */
	memcpy(b, f.sys, n);
	c = (struct sph_cell *)(b + hdr(b)->cells.offset);
	ri = c[0].first_region + c[0].num_regions - 1;
	r = (struct sph_region *)(b + hdr(b)->regions.offset);
	ck_assert_uint_ne(r[ri].device, 0);
	r[ri].device = hdr(b)->strings.count + 100;
	reseal(b);
	expect(b, n, SPH_E_STRING,
	       EOFF(b, regions, struct sph_region, ri, device), "device");

	memcpy(b, f.sys, n);
	r = (struct sph_region *)(b + hdr(b)->regions.offset);
	r[0].shared = 7;
	r[0].flags |= SPH_REGION_SHARED;
	reseal(b);
	expect(b, n, SPH_E_INDEX,
	       EOFF(b, regions, struct sph_region, 0, shared), "shared");

	memcpy(b, f.sys, n);
	r = (struct sph_region *)(b + hdr(b)->regions.offset);
	r[0].flags |= SPH_REGION_SHARED; /* but no shared index */
	reseal(b);
	expect(b, n, SPH_E_VALUE,
	       EOFF(b, regions, struct sph_region, 0, shared), "shared");

	memcpy(b, f.sys, n);
	r = (struct sph_region *)(b + hdr(b)->regions.offset);
	r[1].flags |= 1u << 20;
	reseal(b);
	expect(b, n, SPH_E_FLAGS, EOFF(b, regions, struct sph_region, 1, flags),
	       "flags");

	memcpy(b, f.sys, n);
	r = (struct sph_region *)(b + hdr(b)->regions.offset);
	r[1].reserved = 1;
	reseal(b);
	expect(b, n, SPH_E_RESERVED,
	       EOFF(b, regions, struct sph_region, 1, reserved), "reserved");

	memcpy(b, f.sys, n);
	((struct sph_irq *)(b + hdr(b)->irqs.offset))[0].flags = 0x80;
	reseal(b);
	expect(b, n, SPH_E_FLAGS, EOFF(b, irqs, struct sph_irq, 0, flags),
	       "flags");

	memcpy(b, f.sys, n);
	((struct sph_irq *)(b + hdr(b)->irqs.offset))[0].intid = 1020;
	reseal(b);
	expect(b, n, SPH_E_VALUE, EOFF(b, irqs, struct sph_irq, 0, intid),
	       "intid");

	memcpy(b, f.sys, n);
	((struct sph_hypervisor *)(b + hdr(b)->hypervisor.offset))->reserved =
		9;
	reseal(b);
	expect(b, n, SPH_E_RESERVED,
	       EOFF(b, hypervisor, struct sph_hypervisor, 0, reserved),
	       "reserved");

	free(b);
	fixture_free(&f);
}
END_TEST

START_TEST(shared_checks)
{
	struct sph_shared *s;
	struct fixture f;
	uint8_t *b;
	size_t n;

	fixture_load(&f);
	n = f.sys_len;
	b = malloc(n);
	memcpy(b, f.sys, n);
	ck_assert_uint_eq(hdr(b)->shared.count, 2);
	ck_assert_uint_eq(hdr(b)->access.count, 3);

	s = (struct sph_shared *)(b + hdr(b)->shared.offset);
	s[1].num_access = hdr(b)->access.count;
	reseal(b);
	expect(b, n, SPH_E_RANGE,
	       EOFF(b, shared, struct sph_shared, 1, first_access),
	       "first_access");
	s[1].num_access = 1;
	((struct sph_access *)(b + hdr(b)->access.offset))[0].cell =
		hdr(b)->cells.count;
	reseal(b);
	expect(b, n, SPH_E_INDEX, EOFF(b, access, struct sph_access, 0, cell),
	       "cell");

	memcpy(b, f.sys, n);
	s = (struct sph_shared *)(b + hdr(b)->shared.offset);
	s[0].flags = 2;
	reseal(b);
	expect(b, n, SPH_E_FLAGS, EOFF(b, shared, struct sph_shared, 0, flags),
	       "flags");

	free(b);
	fixture_free(&f);
}
END_TEST

/* The cell blob holds only what the cell sees. */
START_TEST(cell_blob_is_the_cell_alone)
{
	const struct sph_header *h;
	struct fixture f;
	uint8_t *b;
	size_t n;

	fixture_load(&f);
	b = sph_blob_make(&f.plan, 1, &n); /* linux */
	h = (const struct sph_header *)b;
	ck_assert_int_eq(sph_blob_validate(b, n, NULL), 0);
	ck_assert_str_eq(sph_string(h, sph_cells(h)->name), "linux");
	ck_assert_uint_eq(sph_cells(h)->id, 1);
	ck_assert_uint_eq(sph_cells(h)->first_region, 0);
	/* RAM, ring (ro), log (rw), virtio0 */
	ck_assert_uint_eq(sph_cells(h)->num_regions, 4);
	ck_assert_uint_eq(sph_regions(h)[1].flags,
			  SPH_REGION_READ | SPH_REGION_SHARED);
	ck_assert_uint_eq(sph_regions(h)[1].shared, 0);
	ck_assert_uint_eq(sph_regions(h)[2].shared, 1);
	ck_assert_str_eq(sph_string(h, sph_regions(h)[3].device), "virtio0");
	ck_assert_uint_eq(h->shared.count, 2);
	ck_assert_uint_eq(h->access.count, 2);
	ck_assert_uint_eq(sph_accesses(h)[0].cell, 0);
	ck_assert_uint_eq(sph_accesses(h)[0].flags, 0);
	ck_assert_uint_eq(sph_accesses(h)[1].flags, SPH_ACCESS_WRITE);
	/* virtio0's edge SPI, then the extra INTID with its priority */
	ck_assert_uint_eq(sph_cells(h)->num_irqs, 2);
	ck_assert_uint_eq(sph_irqs(h)[0].intid, 48);
	ck_assert_uint_eq(sph_irqs(h)[0].flags, SPH_IRQ_EDGE);
	ck_assert_uint_eq(sph_irqs(h)[1].intid, 100);
	ck_assert_uint_eq(sph_irqs(h)[1].priority, 0x20);
	/* CPUs: its own point at cell 0, the others at none. */
	ck_assert_uint_eq(sph_cpus(h)[0].cell, SPH_NO_INDEX);
	ck_assert_uint_eq(sph_cpus(h)[1].cell, 0);
	ck_assert_uint_eq(sph_cpus(h)[2].cell, 0);
	ck_assert_uint_eq(h->data.count, sph_cells(h)->dtb_size);
	ck_assert_uint_eq(sph_cells(h)->dtb_offset, 0);
	free(b);
	fixture_free(&f);
}
END_TEST

START_TEST(strerror_names_every_code)
{
	int code;

	ck_assert_str_eq(sph_strerror(0), "valid");
	for (code = SPH_E_TRUNCATED; code >= SPH_E_RESERVED; code--)
		ck_assert_str_ne(sph_strerror(code), "unknown error");
	ck_assert_str_eq(sph_strerror(-99), "unknown error");
}
END_TEST

Suite *blob_suite(void)
{
	Suite *s = suite_create("blob");
	TCase *tc = tcase_create("validate");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, crc32_known_value);
	tcase_add_test(tc, written_blobs_validate);
	tcase_add_test(tc, validation_needs_no_alignment);
	tcase_add_test(tc, every_single_byte_corruption_fails);
	tcase_add_test(tc, header_checks);
	tcase_add_test(tc, array_checks);
	tcase_add_test(tc, entry_checks);
	tcase_add_test(tc, shared_checks);
	tcase_add_test(tc, cell_blob_is_the_cell_alone);
	tcase_add_test(tc, strerror_names_every_code);
	suite_add_tcase(s, tc);
	return s;
}
