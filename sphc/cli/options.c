// SPDX-License-Identifier: MIT
/*
 * One getopt_long() table for every command (options.h). Each option
 * belongs to a group; a command that does not take the group gets a usage
 * error naming the command, so `sphc check --svg F` says --svg is not an
 * option of check.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/targets.h"
#include "check/input.h"
#include "cli/options.h"
#include "diag/rules.h"
#include "lib/util.h"

enum {
	OPT_FORMAT = 256,
	OPT_WERROR,
	OPT_COLOR,
	OPT_BOARD,
	OPT_SVG,
	OPT_ALL_BOARDS,
	OPT_TARGET,
	OPT_HYPERVISOR,
	OPT_JH_REVISION,
	OPT_NAME,
	OPT_DUMP_FORMAT,
};

static const struct option long_opts[] = {
	{ "board", required_argument, NULL, OPT_BOARD },
	{ "diagnostics-format", required_argument, NULL, OPT_FORMAT },
	{ "werror", no_argument, NULL, OPT_WERROR },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "quiet", no_argument, NULL, 'q' },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "all-boards", no_argument, NULL, OPT_ALL_BOARDS },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "hypervisor", required_argument, NULL, OPT_HYPERVISOR },
	{ "jailhouse-revision", required_argument, NULL, OPT_JH_REVISION },
	{ "output", required_argument, NULL, 'o' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "format", required_argument, NULL, OPT_DUMP_FORMAT },
	{ NULL, 0, NULL, 0 },
};

/* The group of each option (getopt's return value). */
static unsigned int group_of(int c)
{
	switch (c) {
	case OPT_BOARD:
		return OPTS_BOARD;
	case OPT_SVG:
		return OPTS_SVG;
	case OPT_ALL_BOARDS:
	case OPT_HYPERVISOR:
		return OPTS_BUILD;
	case OPT_TARGET:
	case OPT_JH_REVISION:
		return OPTS_TARGET;
	case 'o':
		return OPTS_OUTPUT;
	case OPT_NAME:
		return OPTS_NAME;
	case OPT_DUMP_FORMAT:
		return OPTS_FORMAT;
	default:
		return OPTS_DIAG;
	}
}

int usage_error(const char *fmt, const char *arg)
{
	fputs("sphc: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'sphc --help'.\n", stderr);
	return SPHC_FAILED;
}

static int parse_diag_format(const char *arg, enum diag_format *f)
{
	if (!strcmp(arg, "text"))
		*f = DIAG_FORMAT_TEXT;
	else if (!strcmp(arg, "json"))
		*f = DIAG_FORMAT_JSON;
	else if (!strcmp(arg, "sarif"))
		*f = DIAG_FORMAT_SARIF;
	else
		return usage_error(
			"unknown diagnostics format '%s' (text, json, sarif)",
			arg);
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
		return usage_error(
			"rule '%s' is an error and cannot be silenced", r->id);
	diag_disable(dl, (enum rule_id)(r - rule_table));
	return 0;
}

static bool want_color(const char *mode)
{
	if (!strcmp(mode, "always"))
		return true;
	if (!strcmp(mode, "never"))
		return false;
	return isatty(STDERR_FILENO) && !getenv("NO_COLOR");
}

/* One option @c with argument @arg; 0, or a usage error. */
static int set_option(int c, const char *arg, struct options *o,
		      const char **color, struct diag_list *dl)
{
	switch (c) {
	case OPT_BOARD:
		o->board = arg;
		return 0;
	case OPT_FORMAT:
		return parse_diag_format(arg, &o->render.format);
	case OPT_WERROR:
		dl->werror = true;
		return 0;
	case OPT_COLOR:
		if (strcmp(arg, "auto") && strcmp(arg, "always") &&
		    strcmp(arg, "never"))
			return usage_error(
				"--color takes auto, always or never, not '%s'",
				arg);
		*color = arg;
		return 0;
	case 'W':
		return parse_warning_flag(arg, dl);
	case 'q': {
		unsigned int r;

		/* Quiet drops notes: they never fail a check. */
		o->quiet = true;
		for (r = 0; r < RULE_COUNT; r++)
			if (rule_table[r].severity == DIAG_NOTE)
				diag_disable(dl, (enum rule_id)r);
		return 0;
	}
	case OPT_SVG:
		o->svg = arg;
		return 0;
	case OPT_ALL_BOARDS:
		o->all_boards = true;
		return 0;
	case OPT_TARGET:
		o->targets_given = true;
		if (targets_parse(arg, &o->targets))
			return usage_error(
				"unknown target in '%s' (sph, jailhouse, bao, xen, fit, all)",
				arg);
		return 0;
	case OPT_HYPERVISOR:
		o->hypervisor = arg;
		return 0;
	case OPT_JH_REVISION:
		if (strcmp(arg, "13") && strcmp(arg, "14"))
			return usage_error(
				"--jailhouse-revision takes 13 or 14, not '%s'",
				arg);
		if (!strcmp(arg, "13"))
			o->targets |= TARGET_JH_REV13;
		return 0;
	case 'o':
		o->output = arg;
		return 0;
	case OPT_NAME:
		o->name = arg;
		return 0;
	case OPT_DUMP_FORMAT:
		if (strcmp(arg, "yaml") && strcmp(arg, "json"))
			return usage_error(
				"--format takes yaml or json, not '%s'", arg);
		o->format = arg;
		return 0;
	}
	return SPHC_FAILED;
}

/* opt_name - "--svg" or "-o": how option @c is spelt, for messages. */
static void opt_name(int c, char *buf, size_t len)
{
	size_t i;

	for (i = 0; long_opts[i].name; i++)
		if (long_opts[i].val == c) {
			snprintf(buf, len, "--%s", long_opts[i].name);
			return;
		}
	snprintf(buf, len, "-%c", c);
}

int options_parse(int argc, char **argv, unsigned int accept, struct options *o,
		  struct diag_list *dl)
{
	const char *color = "auto";
	int c;

	memset(o, 0, sizeof(*o));
	o->render.show_source = true;
	o->render.tool_version = SPHC_VERSION;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:qW:", long_opts, NULL)) != -1) {
		if (c == '?' || c == ':')
			return usage_error("unknown or incomplete option '%s'",
					   argv[optind - 1]);
		if (!(group_of(c) & accept)) {
			char name[32];

			opt_name(c, name, sizeof(name));
			fprintf(stderr,
				"sphc: %s is not an option of 'sphc %s'\n"
				"Try 'sphc --help'.\n",
				name, argv[0]);
			return SPHC_FAILED;
		}
		if (set_option(c, optarg, o, &color, dl))
			return SPHC_FAILED;
	}
	o->render.color = want_color(color);
	o->first = optind;
	return 0;
}

unsigned int options_targets(const struct options *o, const struct m_board *b)
{
	unsigned int t =
		o->targets_given ? o->targets : o->targets | TARGET_SPH;

	return t & TARGET_SPH ? t | targets_default(b) : t;
}
