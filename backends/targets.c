// SPDX-License-Identifier: MIT
/* The bao, xen and fit targets of `sphc build` (see targets.h). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backends/bao/bao.h"
#include "backends/fit/fit.h"
#include "backends/jailhouse/jailhouse.h"
#include "backends/targets.h"
#include "backends/tgt.h"
#include "lib/util.h"
#include "backends/xen/xen.h"

static const struct {
	const char *name;
	unsigned int bit;
} names[] = {
	{ "bao", TARGET_BAO },	    { "xen", TARGET_XEN },
	{ "xen-4.22", TARGET_XEN }, { "xen-4.17", TARGET_XEN | TARGET_XEN_417 },
	{ "fit", TARGET_FIT },	    { "jailhouse", TARGET_JAILHOUSE },
	{ "sph", TARGET_SPH },	    { "all", TARGET_ALL },
};

int targets_parse(const char *list, unsigned int *mask)
{
	const char *p = list, *end;
	size_t i, n;

	while (*p) {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (strlen(names[i].name) == n &&
			    !strncmp(names[i].name, p, n))
				break;
		if (i == ARRAY_SIZE(names))
			return -1;
		*mask |= names[i].bit;
		if (names[i].bit & TARGET_FIT)
			*mask |= TARGET_SPH; /* the FIT carries the runtime */
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

unsigned int targets_default(const struct m_board *b)
{
	return fit_wanted(b) ? TARGET_FIT : 0;
}

/* Record @rel (written by an emitter) in the manifest's file list. */
static int record(struct out *o, const char *rel)
{
	char *path = xasprintf("%s/%s", o->dir, rel);
	void *buf;
	size_t len;
	int rc;

	if (tgt_read(path, &buf, &len)) {
		if (!o->error)
			o->error = xasprintf("cannot read back '%s': %s", path,
					     strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	rc = out_write(o, rel, buf, len, false);
	free(buf);
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Record every file of subdirectory @sub, in name order. */
static int record_dir(struct out *o, const char *sub)
{
	char *path = xasprintf("%s/%s", o->dir, sub), **v = NULL, *rel;
	size_t n = 0, cap = 0, i;
	struct dirent *e;
	int rc = 0;
	DIR *d;

	d = opendir(path);
	free(path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		VEC_RESERVE(v, n, cap);
		v[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), name_cmp);
	for (i = 0; i < n; i++) {
		rel = xasprintf("%s/%s", sub, v[i]);
		if (!rc)
			rc = record(o, rel);
		free(rel);
		free(v[i]);
	}
	free(v);
	return rc;
}

/* Run the emitters of @mask; their findings go to @dl. */
static int targets_write(const struct plan *p, struct out *o, unsigned int mask,
			 const char *hypervisor, struct diag_list *dl)
{
	const struct m_system *s = p->sys;
	const struct m_board *b = p->board;
	int errors = 0;

	if (o->error)
		return -1;
	if (mask & TARGET_BAO) {
		errors += bao_emit(s, b, o->dir, dl);
		if (!errors && record_dir(o, "bao"))
			return -1;
	}
	if (!errors && mask & TARGET_XEN) {
		errors += xen_emit(s, b, o->dir,
				   mask & TARGET_XEN_417 ? XEN_4_17 : XEN_4_22,
				   dl);
		if (!errors && record_dir(o, "xen"))
			return -1;
	}
	if (!errors && mask & TARGET_FIT) {
		errors += fit_emit_hyp(s, b, o->dir, hypervisor, dl);
		if (!errors && (record(o, "boot.itb") || record(o, "boot.cmd")))
			return -1;
	}
	if (!errors && mask & TARGET_JAILHOUSE)
		errors += jailhouse_emit_out(s, b,
					     mask & TARGET_JH_REV12   ? 12
					     : mask & TARGET_JH_REV13 ? 13
								      : 14,
					     o, dl);
	if (errors && !o->error)
		o->error = xstrdup(
			"a target could not be written (see the errors above)");
	return errors ? -1 : 0;
}

int targets_check(const struct m_system *s, const struct m_board *b,
		  unsigned int mask, const char *hypervisor,
		  struct diag_list *dl)
{
	int errors = 0;

	if (mask & TARGET_FIT)
		errors += fit_check(s, b, hypervisor, dl);
	if (mask & TARGET_BAO)
		errors += bao_emit(s, b, NULL, dl);
	if (mask & TARGET_XEN)
		errors += xen_emit(s, b, NULL,
				   mask & TARGET_XEN_417 ? XEN_4_17 : XEN_4_22,
				   dl);
	if (mask & TARGET_JAILHOUSE)
		errors += jailhouse_check(s, b,
					  mask & TARGET_JH_REV13 ? 13 : 14, dl);
	return errors;
}

int targets_emit(const struct plan *p, struct out *o, unsigned int mask,
		 const char *hypervisor, struct diag_list *checked)
{
	struct diag_list one = *checked, *dl = &one;
	int errors = 0;

	/*
	 * The emitters report again what targets_check() reported to
	 * @checked: only what is new (I/O) is kept.
	 */
	one.v = NULL;
	one.n = one.cap = 0;
	one.nerrors = one.nwarnings = 0;
	errors = targets_write(p, o, mask, hypervisor, dl);
	diag_merge_unique(checked, &one);
	free(one.v);
	return errors;
}
