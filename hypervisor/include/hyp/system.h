/* SPDX-License-Identifier: MIT */
/*
 * The system the runtime enforces: the blob QEMU's generic loader put at
 * __sph_system_blob (the start of the boot area at the end of hypervisor
 * memory, 1 MiB or more), validated once at boot with sph_blob_validate()
 * and read through the sph_*() accessors of sph/blob.h afterwards. Never
 * written.
 */
#ifndef HYP_SYSTEM_H
#define HYP_SYSTEM_H

#include <sph/blob.h>

extern const struct sph_header *sys;

#endif
