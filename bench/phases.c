// SPDX-License-Identifier: MIT
/*
 * bench-phases - where `sphc check` spends its time and memory: the stages
 * of input_load() run one by one on a system and its board, each timed, with
 * the memory resident after it, one figure per line. For finding
 * what to optimise, not a second implementation: it calls the same library
 * functions in the same order (without per-board overrides; the system's
 * own `board:` is ignored, BOARD.yaml is used).
 *
 *   bench-phases SYSTEM.yaml BOARD.yaml
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "check/check.h"
#include "diag/diag.h"
#include "model/model.h"
#include "model/resolve.h"
#include "validate/schema.h"
#include "lib/source.h"
#include "front/ynode.h"

static double t0, rss0;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Memory resident now, in bytes: the heap (mallinfo2) does not see the YAML
 * arenas' huge-page chunks, which are mapped directly.
 */
static double resident(void)
{
	unsigned long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f && fscanf(f, "%lu %lu", &pages, &rss) != 2)
		rss = 0;
	if (f)
		fclose(f);
	return (double)rss * (double)sysconf(_SC_PAGESIZE);
}

static void phase(const char *name)
{
	double t = now(), rss = resident();

	printf("phase-%s-time: %.3f s\n", name, t - t0);
	printf("phase-%s-rss: %.1f MiB\n", name, rss / 1048576.0);
	printf("phase-%s-rss-growth: %.1f MiB\n", name,
	       (rss - rss0) / 1048576.0);
	rss0 = rss;
	t0 = now();
}

int main(int argc, char **argv)
{
	struct source *sys_src, *board_src;
	struct ydoc sys_doc, board_doc;
	struct m_system sys;
	struct m_board board;
	struct schema *sc;
	struct diag_list dl;
	struct rusage ru;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-phases SYSTEM.yaml BOARD.yaml\n");
		return 2;
	}
	diag_init(&dl);
	t0 = now();
	board_src = source_load(argv[2]);
	if (!board_src || ydoc_parse(board_src, &board_doc, &dl))
		return 2;
	sc = schema_load(SCHEMA_BOARD);
	schema_validate(sc, board_doc.root, (struct loc){ board_src, 1, 1 },
			&dl);
	schema_free(sc);
	model_board_from_yaml(board_doc.root, &board, &dl);
	check_board(&board, &dl);
	phase("board");
	sys_src = source_load(argv[1]);
	if (!sys_src)
		return 2;
	phase("source_load");
	ydoc_parse(sys_src, &sys_doc, &dl);
	phase("ydoc_parse");
	sc = schema_load(SCHEMA_SYSTEM);
	schema_validate(sc, sys_doc.root, (struct loc){ sys_src, 1, 1 }, &dl);
	schema_free(sc);
	phase("schema_validate");
	model_system_from_yaml(sys_doc.root, &sys, &dl);
	phase("model_system_from_yaml");
	model_resolve(&sys, &board, &dl);
	phase("model_resolve");
	resolve_system(&sys, &board, &dl);
	phase("resolve_system");
	check_system(&sys, &board, &dl);
	phase("check_system");
	getrusage(RUSAGE_SELF, &ru);
	printf("phases-diagnostics: %zu\n", dl.n);
	printf("phases-errors: %u\n", dl.nerrors);
	printf("phases-peak-rss: %.1f MiB\n", ru.ru_maxrss / 1024.0);
	model_system_free(&sys);
	model_board_free(&board);
	ydoc_free(&sys_doc);
	ydoc_free(&board_doc);
	source_free_all(sys_src);
	source_free_all(board_src);
	diag_free(&dl);
	return 0;
}
