/* SPDX-License-Identifier: MIT */
/* The reader of the sph blob: validate it, then print it (`sphc dump`). */
#ifndef SPHC_BACKENDS_SPH_DUMP_H
#define SPHC_BACKENDS_SPH_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * sph_dump - validate the blob @buf of @len bytes (read from @path, named
 * in messages) and print it to @out, as JSON when @json, else as YAML.
 * Returns 0; 1 when the blob is invalid (the failed check, the field and
 * its offset are printed on stderr); 2 when @out cannot be written.
 */
int sph_dump(const uint8_t *buf, size_t len, const char *path, bool json,
	     FILE *out);

#endif
