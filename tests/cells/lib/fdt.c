// SPDX-License-Identifier: MIT
/* Just enough of a flattened device tree walk for the test payloads. */
#include <stdbool.h>
#include "sph.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint64_t cells(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;

	while (n--) {
		v = v << 32 | be32(p);
		p += 4;
	}
	return v;
}

/* @s equals @word, or starts with @word followed by '@'. */
static bool is(const char *s, const char *word)
{
	while (*word && *s == *word)
		s++, word++;
	return !*word && (!*s || *s == '@');
}

static uint32_t len4(const char *s)
{
	uint32_t n = 0;

	while (s[n])
		n++;
	return (n + 4) & ~3u; /* with its NUL, padded */
}

int fdt_summary(const void *fdt, uint64_t *ram, unsigned int *cpus)
{
	const uint8_t *b = fdt, *p, *val;
	const char *strings, *name;
	uint32_t depth = 0, ac = 2, sc = 1, len, off;
	bool memory = false, in_cpus = false;

	if (be32(b) != FDT_MAGIC)
		return -1;
	p = b + be32(b + 8);
	strings = (const char *)b + be32(b + 12);
	*ram = 0;
	*cpus = 0;
	for (;;) {
		switch (be32(p)) {
		case FDT_BEGIN_NODE:
			name = (const char *)p + 4;
			if (++depth == 2) {
				memory = is(name, "memory");
				in_cpus = is(name, "cpus");
			} else if (depth == 3 && in_cpus && is(name, "cpu")) {
				(*cpus)++;
			}
			p += 4 + len4(name);
			break;
		case FDT_END_NODE:
			depth--;
			p += 4;
			break;
		case FDT_PROP:
			len = be32(p + 4);
			name = strings + be32(p + 8);
			val = p + 12;
			if (depth == 1 && is(name, "#address-cells"))
				ac = be32(val);
			if (depth == 1 && is(name, "#size-cells"))
				sc = be32(val);
			if (depth == 2 && memory && is(name, "reg"))
				for (off = 0; off + 4 * (ac + sc) <= len;
				     off += 4 * (ac + sc))
					*ram += cells(val + off + 4 * ac, sc);
			p += 12 + ((len + 3) & ~3u);
			break;
		case FDT_NOP:
			p += 4;
			break;
		case FDT_END:
			return 0;
		default:
			return -1;
		}
	}
}
