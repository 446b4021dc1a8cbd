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

/* check_board - board sanity, independent of any system. */
void check_board(const struct m_board *b, struct diag_list *dl);

/* check_system - every system rule against board @b. */
void check_system(const struct m_system *s, const struct m_board *b,
		  struct diag_list *dl);

#endif
