/* SPDX-License-Identifier: MIT */
/* Shared by the diagnostic renderers only. */
#ifndef SPHC_DIAG_INTERNAL_H
#define SPHC_DIAG_INTERNAL_H

#include <jansson.h>

#include "diag/diag.h"

void diag_json_loc(json_t *obj, const struct loc *loc);
int diag_render_sarif(const struct diag_list *dl,
		      const struct diag_render_opts *o, FILE *out);

#endif
