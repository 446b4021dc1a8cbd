// SPDX-License-Identifier: MIT
/*
 * One option table for every command (options.h): getopt_long()'s table is
 * made from it, and help.c prints it as --help, the man page and the shell
 * completions. Each option belongs to a group; a command that does not
 * take the group gets a usage error naming the command, so `sphc check
 * --svg F` says --svg is not an option of check.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/targets.h"
#include "check/input.h"
#include "cli/help.h"
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
	OPT_XEN_VERSION,
	OPT_NAME,
	OPT_DUMP_FORMAT,
	OPT_MAN,
	OPT_COMPLETION,
};

const struct opt_doc opt_docs[] = {
	{ "board", OPT_BOARD, "NAME|PATH", OPTS_BOARD, "@board", " import ",
	  "the board the configuration is for (a built-in name or a board "
	  "file; default: the built-in board whose GIC and console sit where "
	  "the configuration says)" },
	{ "board", OPT_BOARD, "NAME|PATH", OPTS_BOARD, "@board", NULL,
	  "use this board (a built-in name, see 'sphc boards', or a board "
	  "file) instead of each board of the system's boards:" },
	{ "all-boards", OPT_ALL_BOARDS, NULL, OPTS_BUILD, NULL, NULL,
	  "build for each board of the system's boards: into DIR/BOARD, with "
	  "an index in DIR/manifest.json" },
	{ "target", OPT_TARGET, "LIST", OPTS_TARGET,
	  "sph jailhouse bao xen xen-4.22 xen-4.17 fit all", NULL,
	  "what to write (check: what to check for), comma-separated: sph "
	  "(sph's runtime: blobs, hypervisor.ld, run-qemu.sh, and the FIT on "
	  "U-Boot boards), jailhouse (jailhouse/*.cell), bao (bao/config.c), "
	  "xen (xen/dom0less.dtbo), fit (boot.itb, boot.cmd, with sph), or "
	  "all; default: sph" },
	{ "hypervisor", OPT_HYPERVISOR, "FILE", OPTS_TARGET, "@file", NULL,
	  "the linked runtime (an ELF file) to put into the FIT image (check: "
	  "to size the FIT with)" },
	{ "xen-version", OPT_XEN_VERSION, "4.17|4.22", OPTS_TARGET, "4.17 4.22",
	  NULL,
	  "the Xen the xen target writes for (default 4.22, built with the "
	  "options the description needs; 4.17 as Debian 12 builds it): what "
	  "that Xen lacks is left out with a warning; the same as --target "
	  "xen-4.17 or xen-4.22" },
	{ "jailhouse-revision", OPT_JH_REVISION, "12|13|14", OPTS_TARGET,
	  "12 13 14", NULL,
	  "the Jailhouse configuration format revision to write (default 14; "
	  "13 for Jailhouse 0.12)" },
	{ "output", 'o', "DIR", OPTS_OUTPUT, "@dir", " build ",
	  "the output directory (required); replaced atomically, and only when "
	  "it is empty or holds an earlier build" },
	{ "output", 'o', "FILE", OPTS_OUTPUT, "@file", NULL,
	  "write the description to FILE instead of stdout" },
	{ "name", OPT_NAME, "NAME", OPTS_NAME, NULL, " board ",
	  "the board's name (default: the stem of -o FILE, else of FILE.dtb)" },
	{ "name", OPT_NAME, "NAME", OPTS_NAME, NULL, NULL,
	  "the name of the system (default: the stem of -o FILE, else "
	  "imported)" },
	{ "svg", OPT_SVG, "FILE", OPTS_SVG, "@file", NULL,
	  "also draw the map into FILE as SVG" },
	{ "format", OPT_DUMP_FORMAT, "yaml|json", OPTS_FORMAT, "yaml json",
	  NULL, "print the blob as YAML (default) or JSON" },
	{ "diagnostics-format", OPT_FORMAT, "FORMAT", OPTS_DIAG,
	  "text json sarif", NULL,
	  "text (default, on stderr), json or sarif (SARIF 2.1.0, for code "
	  "scanning), both on stdout" },
	{ "werror", OPT_WERROR, NULL, OPTS_DIAG, NULL, NULL,
	  "warnings make the command fail (exit 1); notes never do" },
	{ NULL, 'W', "no-RULE", OPTS_DIAG, "@rule", NULL,
	  "silence the warnings or notes of RULE (also -Wno-RULE); -W RULE "
	  "turns it on again, e.g. a note under -q; errors cannot be "
	  "silenced" },
	{ "color", OPT_COLOR, "WHEN", OPTS_DIAG, "auto always never", NULL,
	  "colour the text diagnostics: auto (default: on a terminal, unless "
	  "NO_COLOR is set), always or never" },
	{ "quiet", 'q', NULL, OPTS_DIAG, NULL, NULL,
	  "print errors and warnings only: no notes (but those of -W RULE), "
	  "no summary when the result is clean" },
	{ "verbose", 'v', NULL, OPTS_DIAG, NULL, NULL,
	  "print notes and the summary, the default: undoes an earlier -q "
	  "(the last of -q and -v counts)" },
	{ "man", OPT_MAN, NULL, OPTS_HELPGEN, NULL, NULL,
	  "print the manual page sphc(1), in man(7) format" },
	{ "completion", OPT_COMPLETION, "SHELL", OPTS_HELPGEN, "bash zsh", NULL,
	  "print the completion script for bash or zsh" },
	{ "help", 'h', NULL, OPTS_ALWAYS, NULL, NULL,
	  "print this help and exit" },
	{ NULL, 0, NULL, 0, NULL, NULL, NULL },
};

bool opt_doc_applies(const struct opt_doc *d, const char *cmd,
		     unsigned int accept)
{
	const struct opt_doc *e;
	char word[32];

	if (!(d->group & accept))
		return false;
	snprintf(word, sizeof(word), " %s ", cmd);
	if (d->only)
		return strstr(d->only, word) != NULL;
	/* The general text, unless an earlier entry is for @cmd. */
	for (e = opt_docs; e < d; e++)
		if (e->val == d->val && e->only && strstr(e->only, word))
			return false;
	return true;
}

/* The group of getopt's value @c. */
static unsigned int group_of(int c)
{
	const struct opt_doc *d;

	for (d = opt_docs; d->group; d++)
		if (d->val == c)
			return d->group;
	return 0;
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

/*
 * -W no-RULE switches a warning or note off, -W RULE on again (a note -q
 * hides, or a rule an earlier -W switched off); the last one counts.
 * @asked: the rules named by -W RULE, which -q leaves on.
 */
static int parse_warning_flag(const char *arg, struct diag_list *dl,
			      unsigned long long *asked)
{
	bool off = !strncmp(arg, "no-", 3);
	const struct rule_info *r = rule_find(off ? arg + 3 : arg);
	enum rule_id id;

	if (!r)
		return usage_error("unknown rule '%s' (see 'sphc rules')",
				   off ? arg + 3 : arg);
	if (r->severity == DIAG_ERROR)
		return usage_error(off ? "rule '%s' is an error and cannot be "
					 "silenced"
				       : "rule '%s' is an error, always on",
				   r->id);
	id = (enum rule_id)(r - rule_table);
	if (off) {
		diag_disable(dl, id);
		asked[id / 64] &= ~(1ULL << (id % 64));
	} else {
		diag_enable(dl, id);
		asked[id / 64] |= 1ULL << (id % 64);
	}
	return 0;
}

/* -q: notes off, but those -W RULE asked for. */
static void quiet_notes(struct diag_list *dl, const unsigned long long *asked)
{
	unsigned int i;

	for (i = 0; i < RULE_COUNT; i++)
		if (rule_table[i].severity == DIAG_NOTE &&
		    !(asked[i / 64] >> (i % 64) & 1))
			diag_disable(dl, (enum rule_id)i);
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
		      const char **color, struct diag_list *dl,
		      unsigned long long *asked)
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
		return parse_warning_flag(arg, dl, asked);
	case 'q':
		o->quiet = true;
		o->verbose = false;
		return 0;
	case 'v':
		o->quiet = false;
		o->verbose = true;
		return 0;
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
				"unknown target in '%s' (sph, jailhouse, bao, xen, xen-4.22, xen-4.17, fit, all)",
				arg);
		return 0;
	case OPT_HYPERVISOR:
		o->hypervisor = arg;
		return 0;
	case OPT_XEN_VERSION:
		if (strcmp(arg, "4.17") && strcmp(arg, "4.22"))
			return usage_error(
				"--xen-version takes 4.17 or 4.22, not '%s'",
				arg);
		if (!strcmp(arg, "4.17"))
			o->targets |= TARGET_XEN_417;
		else
			o->targets &= ~TARGET_XEN_417;
		return 0;
	case OPT_JH_REVISION:
		if (strcmp(arg, "12") && strcmp(arg, "13") && strcmp(arg, "14"))
			return usage_error(
				"--jailhouse-revision takes 12, 13 or 14, not '%s'",
				arg);
		/* The last one given counts. */
		o->targets &= ~(TARGET_JH_REV12 | TARGET_JH_REV13);
		if (!strcmp(arg, "13"))
			o->targets |= TARGET_JH_REV13;
		else if (!strcmp(arg, "12"))
			o->targets |= TARGET_JH_REV12;
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
	case OPT_MAN:
		o->man = true;
		return 0;
	case OPT_COMPLETION:
		if (strcmp(arg, "bash") && strcmp(arg, "zsh"))
			return usage_error(
				"--completion takes bash or zsh, not '%s'",
				arg);
		o->completion = arg;
		return 0;
	}
	return SPHC_FAILED;
}

/* opt_name - "--svg" or "-o": how option @c is spelt, for messages. */
static void opt_name(int c, char *buf, size_t len)
{
	const struct opt_doc *d;

	for (d = opt_docs; d->group; d++)
		if (d->val == c && d->name) {
			snprintf(buf, len, "--%s", d->name);
			return;
		}
	snprintf(buf, len, "-%c", c);
}

#define MAX_OPTS 64

/*
 * getopt_long()'s tables from opt_docs[]: each long name once, and the
 * short letters with a ':' when they take an argument.
 */
static void make_tables(struct option *longs, char *shorts)
{
	const struct opt_doc *d, *e;
	size_t nl = 0, ns = 0;

	for (d = opt_docs; d->group; d++) {
		for (e = opt_docs; e < d && e->val != d->val; e++)
			;
		if (e < d)
			continue; /* another text of the same option */
		if (d->name && nl < MAX_OPTS - 1)
			longs[nl++] =
				(struct option){ d->name,
						 d->arg ? required_argument
							: no_argument,
						 NULL, d->val };
		if (d->val < 256) {
			shorts[ns++] = (char)d->val;
			if (d->arg)
				shorts[ns++] = ':';
		}
	}
	longs[nl] = (struct option){ NULL, 0, NULL, 0 };
	shorts[ns] = '\0';
}

int options_parse(int argc, char **argv, struct options *o,
		  struct diag_list *dl)
{
	struct option longs[MAX_OPTS];
	const struct command *cmd = command_find(argv[0]);
	unsigned int accept = (cmd ? cmd->accept : 0) | OPTS_ALWAYS;
	char shorts[2 * MAX_OPTS + 1];
	unsigned long long asked[(RULE_COUNT + 63) / 64] = { 0 };
	const char *color = "auto";
	int c;

	make_tables(longs, shorts);
	memset(o, 0, sizeof(*o));
	o->render.show_source = true;
	o->render.tool_version = SPHC_VERSION;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == '?' || c == ':')
			return usage_error("unknown or incomplete option '%s'",
					   argv[optind - 1]);
		if (!(group_of(c) & accept)) {
			char name[32];

			opt_name(c, name, sizeof(name));
			fprintf(stderr,
				"sphc: %s is not an option of 'sphc %s'\n"
				"Try 'sphc %s --help'.\n",
				name, argv[0], argv[0]);
			return SPHC_FAILED;
		}
		if (c == 'h') {
			help_print(argv[0], stdout);
			return fflush(stdout) ? SPHC_FAILED : OPTS_HELP_SHOWN;
		}
		if (set_option(c, optarg, o, &color, dl, asked))
			return SPHC_FAILED;
	}
	if (o->quiet)
		quiet_notes(dl, asked);
	o->render.color = want_color(color);
	o->first = optind;
	return 0;
}

unsigned int options_targets(const struct options *o, const struct m_system *s,
			     const struct m_board *b)
{
	unsigned int t = o->targets, named = 0;
	size_t i;

	/* --target, else the description's targets:, else sph. */
	for (i = 0; !o->targets_given && s && i < s->ntargets; i++)
		if (s->targets[i])
			targets_parse(s->targets[i], &named);
	if (!o->targets_given)
		t |= named ? named : TARGET_SPH;

	return t & TARGET_SPH ? t | targets_default(b) : t;
}
