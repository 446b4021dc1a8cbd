// SPDX-License-Identifier: MIT
/* The sph hypercalls of sph/hypercall.h. */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/mem.h>
#include <sph/hypercall.h>

/* At most SPH_CONSOLE_WRITE_MAX bytes: the cell loops, not EL2. */
static long console_write(struct percpu *cpu, uint64_t ipa, uint64_t len)
{
	uint64_t done = 0, avail;
	const char *p;

	len = MIN(len, SPH_CONSOLE_WRITE_MAX);
	while (done < len) {
		p = cell_ptr(cpu->cell, ipa + done, SPH_REGION_READ, &avail);
		if (!p)
			return done ? (long)done : SPH_HC_INVALID;
		avail = MIN(avail, len - done);
		console_cell_write(cpu, p, avail);
		done += avail;
	}
	return (long)done;
}

static long cell_name(struct percpu *cpu, uint64_t ipa, uint64_t size)
{
	const char *name = cpu->cell->name;
	uint64_t len = strlen(name), n = MIN(len, size - 1);

	if (!size)
		return (long)len;
	if (cell_copy_in(cpu->cell, ipa, name, n) ||
	    cell_copy_in(cpu->cell, ipa + n, "", 1))
		return SPH_HC_INVALID;
	return (long)len;
}

long hypercall(struct percpu *cpu, uint64_t fn, uint64_t a1, uint64_t a2)
{
	long ret;
	char c;

	switch ((uint32_t)fn) {
	case SPH_HC_CONSOLE_PUTC:
		c = (char)a1;
		console_cell_write(cpu, &c, 1);
		return 0;
	case SPH_HC_CONSOLE_WRITE:
		return console_write(cpu, a1, a2);
	case SPH_HC_CELL_ID:
		return cpu->cell->cfg->id;
	case SPH_HC_CELL_NAME:
		return cell_name(cpu, a1, a2);
	case SPH_HC_CELL_EXIT:
		cell_exit(cpu, (int)a1);
	case SPH_HC_DOORBELL:
		ret = a1 >> 32 ? -1 : arch_doorbell(cpu, (uint32_t)a1);
		return ret < 0 ? SPH_HC_INVALID : ret;
	default:
		return SPH_HC_NOT_SUPPORTED;
	}
}
