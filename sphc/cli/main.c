// SPDX-License-Identifier: MIT
/*
 * sphc - the static partitioning hypervisor compiler: command line.
 *
 * Only this file chooses exit statuses: 0 clean, 1 findings (errors, or
 * warnings under --werror), 2 usage, I/O or internal errors.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "front/boardpath.h"
#include "cli/build.h"
#include "diag/diag.h"
#include "cli/import.h"
#include "check/input.h"
#include "backends/map/map.h"
#include "diag/rules.h"
#include "validate/schema.h"

#ifndef SPHC_VERSION
#define SPHC_VERSION "0.0.0-dev"
#endif

static const char usage_text[] =
	"usage: sphc <command> [options]\n"
	"\n"
	"commands:\n"
	"  check SYSTEM.yaml     check a system description against its board\n"
	"  map SYSTEM.yaml       print the resolved memory map (--svg FILE draws it)\n"
	"  build SYSTEM.yaml -o DIR   check, then write blobs, device trees, linker\n"
	"                        scripts, headers, manifest.json and run-qemu.sh\n"
	"                        into DIR, replaced atomically (--board B, or\n"
	"                        --all-boards: one DIR/BOARD each; check options)\n"
	"                        --target jailhouse,bao,xen,fit or all: also\n"
	"                        Jailhouse .cell files (--jailhouse-revision 13|14),\n"
	"                        Bao's config.c, Xen dom0less trees, a U-Boot FIT\n"
	"                        (default on U-Boot boards; --hypervisor FILE: the\n"
	"                        runtime in it)\n"
	"  dump FILE.bin         validate an sph blob and print it\n"
	"                        (--format=yaml|json; exit 1 if invalid)\n"
	"  schema [system|board] print the JSON Schema of a file kind\n"
	"  boards                list the built-in boards\n"
	"  rules                 list every diagnostic rule id\n"
	"  import jailhouse SYSTEM.cell [CELL.cell...]   Jailhouse configs as a\n"
	"                        system description (--board B, -o FILE)\n"
	"  board import FILE.dtb a device tree as a board description\n"
	"                        (-o FILE, --name NAME)\n"
	"\n"
	"check options:\n"
	"  --board NAME|PATH             use this board instead of the system's\n"
	"  --diagnostics-format=FORMAT   text (default, on stderr), json or sarif\n"
	"                                (on stdout)\n"
	"  --werror                      warnings make the check fail\n"
	"  -W no-RULE, -Wno-RULE         silence warnings of RULE\n"
	"  --color=auto|always|never     colour text output (auto: on a terminal,\n"
	"                                never when NO_COLOR is set)\n"
	"  -q, --quiet                   print nothing when the check is clean\n"
	"\n"
	"  -h, --help      this help\n"
	"  -V, --version   print the version\n"
	"\n"
	"exit status: 0 clean, 1 findings, 2 usage, I/O or internal error\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("sphc: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'sphc --help'.\n", stderr);
	return SPHC_FAILED;
}

struct check_opts {
	const char *board;
	const char *svg;		/* map only */
	struct diag_render_opts render;
	const char *color;
	bool quiet;
};

static bool want_color(const char *mode)
{
	if (!strcmp(mode, "always"))
		return true;
	if (!strcmp(mode, "never"))
		return false;
	return isatty(STDERR_FILENO) && !getenv("NO_COLOR");
}

static int parse_format(const char *arg, enum diag_format *f)
{
	if (!strcmp(arg, "text"))
		*f = DIAG_FORMAT_TEXT;
	else if (!strcmp(arg, "json"))
		*f = DIAG_FORMAT_JSON;
	else if (!strcmp(arg, "sarif"))
		*f = DIAG_FORMAT_SARIF;
	else
		return -1;
	return 0;
}

static int parse_warning_flag(const char *arg, struct diag_list *dl)
{
	const struct rule_info *r;

	if (strncmp(arg, "no-", 3))
		return usage_error("-W takes no-RULE, not '%s'", arg);
	r = rule_find(arg + 3);
	if (!r)
		return usage_error("unknown rule '%s' (see 'sphc rules')",
				   arg + 3);
	if (r->severity == DIAG_ERROR)
		return usage_error("rule '%s' is an error and cannot be silenced",
				   r->id);
	diag_disable(dl, r->id);
	return 0;
}

enum { OPT_FORMAT = 256, OPT_WERROR, OPT_COLOR, OPT_BOARD, OPT_SVG };

static const struct option check_long_opts[] = {
	{ "board", required_argument, NULL, OPT_BOARD },
	{ "diagnostics-format", required_argument, NULL, OPT_FORMAT },
	{ "werror", no_argument, NULL, OPT_WERROR },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "quiet", no_argument, NULL, 'q' },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ NULL, 0, NULL, 0 },
};

static int parse_check_opts(int argc, char **argv, struct check_opts *o,
			    struct diag_list *dl)
{
	int c;

	o->color = "auto";
	o->render.show_source = true;
	o->render.tool_version = SPHC_VERSION;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "qW:", check_long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_BOARD:
			o->board = optarg;
			break;
		case OPT_FORMAT:
			if (parse_format(optarg, &o->render.format))
				return usage_error("unknown diagnostics format '%s' (text, json, sarif)",
						   optarg);
			break;
		case OPT_WERROR:
			dl->werror = true;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
			    strcmp(optarg, "never"))
				return usage_error("--color takes auto, always or never, not '%s'",
						   optarg);
			o->color = optarg;
			break;
		case 'W':
			if (parse_warning_flag(optarg, dl))
				return SPHC_FAILED;
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_SVG:
			if (strcmp(argv[0], "map"))
				return usage_error("%s", "--svg is an option of 'sphc map'");
			o->svg = optarg;
			break;
		default:
			return usage_error("unknown or incomplete option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error(optind >= argc ? "%s needs one SYSTEM.yaml file" :
				   "%s takes exactly one SYSTEM.yaml file",
				   argv[0]);
	o->render.color = want_color(o->color);
	return 0;
}

/* One board's run: its input stays alive until the diagnostics are printed. */
struct board_run {
	struct sphc_input in;
	enum sphc_status status;
};

static void print_summary(const struct diag_list *dl, const char *path,
			  const struct board_run *runs, size_t n, bool failed)
{
	size_t i;

	if (failed || dl->nerrors || dl->nwarnings)
		fprintf(stderr, "%u error%s, %u warning%s\n", dl->nerrors,
			dl->nerrors == 1 ? "" : "s", dl->nwarnings,
			dl->nwarnings == 1 ? "" : "s");
	for (i = 0; i < n; i++)
		if (runs[i].status == SPHC_OK)
			printf("%s: ok for board %s (%zu cell%s)\n", path,
			       runs[i].in.board.name, runs[i].in.sys.ncells,
			       runs[i].in.sys.ncells == 1 ? "" : "s");
}

/*
 * check_boards - run the pipeline for each board of @path (or @board only).
 * Findings of every run are merged into @dl, once each.
 */
static struct board_run *check_boards(const char *path, const char *board,
				      struct diag_list *dl, size_t *nruns)
{
	size_t n = board ? 1 : input_board_count(path), i;
	struct board_run *runs = calloc(n, sizeof(*runs));

	if (!runs)
		abort();
	for (i = 0; i < n; i++) {
		struct diag_list one = *dl;

		/* Same settings (-W, --werror), separate findings. */
		one.v = NULL;
		one.n = one.cap = 0;
		one.nerrors = one.nwarnings = 0;
		runs[i].status = input_load(&runs[i].in, path, board,
					    (unsigned int)i, &one);
		if (runs[i].status == SPHC_OK && diag_failed(&one))
			runs[i].status = SPHC_FINDINGS;
		diag_merge_unique(dl, &one);
		free(one.v);
	}
	*nruns = n;
	return runs;
}

static enum sphc_status worst(const struct board_run *runs, size_t n)
{
	enum sphc_status st = SPHC_OK;
	size_t i;

	for (i = 0; i < n; i++)
		if (runs[i].status > st)
			st = runs[i].status;
	return st;
}

static void free_runs(struct board_run *runs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		input_free(&runs[i].in);
	free(runs);
}

static int cmd_check(int argc, char **argv)
{
	struct check_opts o = { 0 };
	struct board_run *runs;
	struct diag_list dl;
	enum sphc_status st;
	size_t nruns;
	FILE *out;
	int rc;

	diag_init(&dl);
	rc = parse_check_opts(argc, argv, &o, &dl);
	if (rc) {
		diag_free(&dl);
		return rc;
	}
	runs = check_boards(argv[optind], o.board, &dl, &nruns);
	st = worst(runs, nruns);
	diag_sort(&dl);
	out = o.render.format == DIAG_FORMAT_TEXT ? stderr : stdout;
	if (diag_render(&dl, &o.render, out) < 0)
		st = SPHC_FAILED;
	if (o.render.format == DIAG_FORMAT_TEXT && !(o.quiet && st == SPHC_OK))
		print_summary(&dl, argv[optind], runs, nruns, st != SPHC_OK);
	free_runs(runs, nruns);
	diag_free(&dl);
	if (fflush(stdout) != 0)
		return SPHC_FAILED;
	return st;
}

static int write_svg(const char *path, const struct sphc_input *in)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f) {
		fprintf(stderr, "sphc: error: cannot write '%s': %s\n", path,
			strerror(errno));
		return SPHC_FAILED;
	}
	rc = map_write_svg(&in->sys, &in->board, f);
	if (fclose(f) || rc) {
		fprintf(stderr, "sphc: error: cannot write '%s'\n", path);
		return SPHC_FAILED;
	}
	return SPHC_OK;
}

static int cmd_map(int argc, char **argv)
{
	struct check_opts o = { 0 };
	struct sphc_input in;
	struct diag_list dl;
	enum sphc_status st;
	int rc;

	diag_init(&dl);
	rc = parse_check_opts(argc, argv, &o, &dl);
	if (rc) {
		diag_free(&dl);
		return rc;
	}
	st = input_load(&in, argv[optind], o.board, 0, &dl);
	diag_sort(&dl);
	diag_render(&dl, &o.render, stderr);
	if (st == SPHC_OK) {
		map_print_table(&in.sys, &in.board, stdout);
		if (o.svg)
			st = write_svg(o.svg, &in);
	}
	input_free(&in);
	diag_free(&dl);
	return st;
}

static int cmd_schema(int argc, char **argv)
{
	enum schema_kind kind = SCHEMA_SYSTEM;

	if (argc > 2)
		return usage_error("%s", "schema takes at most one argument");
	if (argc == 2 && !strcmp(argv[1], "board"))
		kind = SCHEMA_BOARD;
	else if (argc == 2 && strcmp(argv[1], "system"))
		return usage_error("unknown schema '%s' (system or board)",
				   argv[1]);
	fputs(schema_text(kind), stdout);
	return fflush(stdout) ? SPHC_FAILED : SPHC_OK;
}

static int cmd_boards(int argc, char **argv)
{
	char **names;
	size_t i;

	(void)argv;
	if (argc > 1)
		return usage_error("%s", "boards takes no arguments");
	names = boardpath_list();
	for (i = 0; names[i]; i++) {
		char *path = boardpath_find(names[i], NULL);

		printf("%-24s %s\n", names[i], path ? path : "");
		free(path);
	}
	boardpath_list_free(names);
	return SPHC_OK;
}

static int cmd_rules(int argc, char **argv)
{
	unsigned int i;

	(void)argv;
	if (argc > 1)
		return usage_error("%s", "rules takes no arguments");
	for (i = 0; i < rule_count; i++)
		printf("%-22s %-8s %s\n", rule_table[i].id,
		       rule_table[i].severity == DIAG_ERROR ? "error" :
		       rule_table[i].severity == DIAG_WARNING ? "warning" : "note",
		       rule_table[i].summary);
	return SPHC_OK;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "check", cmd_check },
	{ "map", cmd_map },
	{ "build", cmd_build },
	{ "dump", cmd_dump },
	{ "schema", cmd_schema },
	{ "boards", cmd_boards },
	{ "rules", cmd_rules },
	{ "import", cmd_import },
	{ "board", cmd_board },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage_error("%s", "no command given");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return SPHC_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("sphc %s\n", SPHC_VERSION);
		return SPHC_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return usage_error("unknown command '%s'", argv[1]);
}
