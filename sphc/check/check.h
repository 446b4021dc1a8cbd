/* SPDX-License-Identifier: MIT */
/*
 * The checker: a table of named rules run over a resolved model.
 *
 * Checks only read the model and report; they never change it, so turning a
 * warning off never changes what `sphc build` writes.
 */
#ifndef SPHC_CHECK_H
#define SPHC_CHECK_H

#include "diag/diag.h"
#include "model/model.h"

struct check_ctx {
	const struct m_system *sys;
	const struct m_board *board;
	struct diag_list *dl;
};

/* A check function: reads the model, reports through c->dl, changes nothing. */
typedef void check_fn(struct check_ctx *c);

/*
 * check_run - run @checks[r] for every rule r that c->dl has on (each
 * function once, however many rules it reports). check_system() runs the
 * rule table's functions; tests pass their own.
 */
void check_run(struct check_ctx *c, check_fn *const checks[RULE_COUNT]);

/*
 * check_runtime - whether sph's runtime drives the console and GIC the
 * system runs on (RULE_RUNTIME_UNSUPPORTED); for builds that include the
 * runtime (check/runtime.c).
 */
void check_runtime(const struct m_system *s, const struct m_board *b,
		   struct diag_list *dl);

/*
 * check_layout - whether the system fits sph's boot layout (check/layout.h:
 * RULE_BUILD_LAYOUT, _IMAGE, _BOOT_AREA); for builds that include the
 * runtime, like check_runtime().
 */
void check_layout(const struct m_system *s, const struct m_board *b,
		  struct diag_list *dl);

/*
 * check_mmio_pages - for a hypervisor (@mapper, as the message names it)
 * that maps raw MMIO by whole pages: no raw range on a page of another
 * owner's device or raw range (RULE_DEVICE_PAGE_CONFLICT).
 */
void check_mmio_pages(const struct m_system *s, const struct m_board *b,
		      const char *mapper, struct diag_list *dl);

/* runtime_console_type - the SPH_CONSOLE_* of board device @d. */
uint32_t runtime_console_type(const struct b_device *d);

/* check_board - board sanity, independent of any system. */
void check_board(const struct m_board *b, struct diag_list *dl);

/* check_system - every system rule that @dl has on, against board @b. */
void check_system(const struct m_system *s, const struct m_board *b,
		  struct diag_list *dl);

#endif
