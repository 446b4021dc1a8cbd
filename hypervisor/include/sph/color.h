/* SPDX-License-Identifier: MIT */
/*
 * Last-level-cache page coloring: the one definition of the formula, shared
 * by sphc (allocation, checks, backends) and the runtime (stage-2 maps of
 * colored regions).
 *
 * The LLC is physically indexed: the address bits just above the page
 * offset choose the cache set, so pages whose index differs by a multiple
 * of the number of colors compete for the same sets. With a cache of
 * @llc_size bytes and @llc_ways ways, one way spans llc_size / llc_ways
 * bytes, which is that many pages:
 *
 *   colors     = llc_size / (llc_ways * page_size)   (at least 1)
 *   color(pa)  = (pa / page_size) % colors
 *
 * (1 MiB, 16 ways and 4 KiB pages give 16 colors.) Freestanding: only
 * <stdint.h>, no division helpers beyond what the compiler provides.
 */
#ifndef SPH_COLOR_H
#define SPH_COLOR_H

#include <stdint.h>

/*
 * sph_color_count - the number of colors of a cache of @llc_size bytes and
 * @llc_ways ways with pages of @page_size bytes; 0 when any of them is 0
 * (unknown geometry: no coloring), 1 when a way is smaller than a page.
 */
static inline uint32_t sph_color_count(uint64_t llc_size, uint64_t llc_ways,
				       uint64_t page_size)
{
	uint64_t way;

	if (!llc_size || !llc_ways || !page_size)
		return 0;
	way = llc_size / llc_ways;
	if (way < page_size)
		return 1;
	return (uint32_t)(way / page_size);
}

/*
 * sph_page_color - the color of the page of @page_size bytes holding @pa,
 * out of @ncolors (not 0).
 */
static inline uint32_t sph_page_color(uint64_t pa, uint64_t page_size,
				      uint32_t ncolors)
{
	return (uint32_t)((pa / page_size) % ncolors);
}

#endif
