// SPDX-License-Identifier: MIT
/*
 * sphc help [COMMAND] [--man]: the commands' documentation (commands.c)
 * and options (options.c) printed as --help text and as the man page
 * sphc(1). Both come from the same tables, so they cannot disagree.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"

#define WIDTH 79
#define OPT_COLUMN 28

/* Where a word of @p ends. */
static size_t word_len(const char *p)
{
	return strcspn(p, " ");
}

/*
 * wrap - @text in lines of at most WIDTH columns (a longer word overflows),
 * the lines after the first indented by @indent; the cursor is at column
 * @col, which is padded to @indent first.
 */
static void wrap(FILE *out, const char *text, int indent, int col)
{
	const char *p = text;
	bool first = true;

	for (; col < indent; col++)
		fputc(' ', out);
	while (*p) {
		int n = (int)word_len(p);

		if (!first && col + 1 + n > WIDTH) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, (size_t)n, out);
		col += n;
		p += n;
		while (*p == ' ')
			p++;
		first = false;
	}
	fputc('\n', out);
}

/* How option @d is written: "-o, --output=DIR", "--werror", "-W no-RULE". */
static void opt_spelling(const struct opt_doc *d, char *buf, size_t len)
{
	char s[8] = "";

	if (d->val < 256)
		snprintf(s, sizeof(s), "-%c%s", d->val, d->name ? ", " : "");
	if (d->name)
		snprintf(buf, len, "%s--%s%s%s", s, d->name, d->arg ? "=" : "",
			 d->arg ? d->arg : "");
	else
		snprintf(buf, len, "%s%s%s", s, d->arg ? " " : "",
			 d->arg ? d->arg : "");
}

static void print_usage_line(const struct command *c, FILE *out)
{
	fprintf(out, "usage: sphc %s%s%s%s\n", c->name,
		c->accept ? " [options]" : " [-h]", *c->args ? " " : "",
		c->args);
}

static void print_overview(FILE *out)
{
	const struct command *c;
	char buf[64];

	fputs("usage: sphc SYSTEM.yaml -o DIR [options]   check, then build "
	      "into DIR\n"
	      "       sphc SYSTEM.yaml [options]          check only\n"
	      "       sphc COMMAND [options] [ARGUMENTS]\n\n",
	      out);
	wrap(out, sphc_description, 0, 0);
	fputs("\ncommands:\n", out);
	for (c = commands; c->name; c++) {
		int n = snprintf(buf, sizeof(buf), "  %s%s%s", c->name,
				 *c->args ? " " : "", c->args);

		fputs(buf, out);
		if (n >= OPT_COLUMN) {
			fputc('\n', out);
			n = 0;
		}
		wrap(out, c->summary, OPT_COLUMN, n);
	}
	fputs("\noptions:\n"
	      "  -h, --help                this help; 'sphc COMMAND --help' "
	      "(or 'sphc help\n"
	      "                            COMMAND'): a command's options and "
	      "examples\n"
	      "  -V, --version             print the version\n\n"
	      "exit status: 0 clean; 1 findings; 2 usage, I/O or internal "
	      "error\n",
	      out);
}

static void print_command(const struct command *c, FILE *out)
{
	const struct opt_doc *d;
	char buf[64];
	int i;

	print_usage_line(c, out);
	fputc('\n', out);
	wrap(out, c->description, 0, 0);
	fputs("\noptions:\n", out);
	for (d = opt_docs; d->group; d++) {
		int n;

		if (!opt_doc_applies(d, c->name, c->accept | OPTS_ALWAYS))
			continue;
		opt_spelling(d, buf, sizeof(buf));
		n = fprintf(out, "  %s", buf);
		if (n >= OPT_COLUMN - 1) {
			fputc('\n', out);
			n = 0;
		}
		wrap(out, d->help, OPT_COLUMN, n);
	}
	fputs("\nexamples:\n", out);
	for (i = 0; i < 4; i += 2) {
		fprintf(out, "  %s\n", c->examples[i]);
		wrap(out, c->examples[i + 1], 6, 0);
	}
	fputs("\nexit status: ", out);
	wrap(out, c->exit, 13, 13);
}

void help_print(const char *name, FILE *out)
{
	const struct command *c = command_find(name);

	if (c)
		print_command(c, out);
	else
		print_overview(out);
}

/* --- the man page --------------------------------------------------------- */

/* roff - @text escaped for man(7): backslashes, minus signs, a leading dot. */
static void roff(FILE *out, const char *text)
{
	const char *p;

	if (*text == '.' || *text == '\'')
		fputs("\\&", out);
	for (p = text; *p; p++) {
		if (*p == '\\')
			fputs("\\e", out);
		else if (*p == '-')
			fputs("\\-", out);
		else
			fputc(*p, out);
	}
}

/* "sphc NAME [options] ARGS", as print_usage_line() writes it. */
static void man_synopsis(const struct command *c, FILE *out)
{
	fputs(".B sphc ", out);
	roff(out, c->name);
	fputs(c->accept ? "\n[\\fIoptions\\fR]" : "\n[\\fB\\-h\\fR]", out);
	if (*c->args) {
		fputc(' ', out);
		roff(out, c->args);
	}
	fputc('\n', out);
}

static void man_command(const struct command *c, FILE *out)
{
	const struct opt_doc *d;
	char buf[64];
	int i;

	fputs(".SS \"", out);
	roff(out, c->name);
	fputs("\"\n", out);
	man_synopsis(c, out);
	fputs(".PP\n", out);
	roff(out, c->description);
	fputs("\n", out);
	for (d = opt_docs; d->group; d++) {
		if (!opt_doc_applies(d, c->name, c->accept | OPTS_ALWAYS))
			continue;
		opt_spelling(d, buf, sizeof(buf));
		fputs(".TP\n.B ", out);
		roff(out, buf);
		fputs("\n", out);
		roff(out, d->help);
		fputs("\n", out);
	}
	fputs(".PP\nExamples:\n", out);
	for (i = 0; i < 4; i += 2) {
		fputs(".TP\n.B ", out);
		roff(out, c->examples[i]);
		fputs("\n", out);
		roff(out, c->examples[i + 1]);
		fputs("\n", out);
	}
	fputs(".PP\nExit status: ", out);
	roff(out, c->exit);
	fputs(".\n", out);
}

void help_man(FILE *out)
{
	const struct command *c;

	fputs(".\\\" Generated by 'sphc help --man' from the tables of "
	      "sphc/cli/; do not edit.\n",
	      out);
	fprintf(out, ".TH SPHC 1 \"\" \"sphc %s\" \"User Commands\"\n",
		SPHC_VERSION);
	fputs(".SH NAME\nsphc \\- the static partitioning hypervisor "
	      "compiler\n.SH SYNOPSIS\n",
	      out);
	for (c = commands; c->name; c++) {
		man_synopsis(c, out);
		fputs(".br\n", out);
	}
	fputs(".B sphc\n\\-\\-help | \\-\\-version\n.SH DESCRIPTION\n", out);
	roff(out, sphc_description);
	fputs("\n.PP\nEach command takes the options listed in its section; "
	      "\\fBsphc\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR prints the same "
	      "text.\n.SH COMMANDS\n",
	      out);
	for (c = commands; c->name; c++)
		man_command(c, out);
	fputs(".SH EXIT STATUS\n"
	      ".TP\n.B 0\nclean: no errors, and no warnings under "
	      "\\-\\-werror.\n"
	      ".TP\n.B 1\nfindings: errors, or warnings under \\-\\-werror "
	      "(dump: an invalid blob).\n"
	      ".TP\n.B 2\na usage error, an I/O error or an internal error.\n"
	      ".SH ENVIRONMENT\n"
	      ".TP\n.B SPHC_BOARD_PATH\ndirectories, separated by colons, "
	      "searched for board files by name before the installed boards.\n"
	      ".TP\n.B NO_COLOR\nwhen set, \\-\\-color=auto never colours.\n"
	      ".SH FILES\n"
	      ".TP\n.I PREFIX/share/sphc/boards/*.yaml\nthe built-in boards.\n"
	      ".TP\n.I PREFIX/share/sphc/schema/*.json\nthe JSON Schemas of "
	      "system and board descriptions (also embedded in sphc).\n"
	      ".SH SEE ALSO\n"
	      "The rules: \\fBsphc rules\\fR and docs/rules.md; the language: "
	      "docs/language.md; the outputs: docs/build.md.\n",
	      out);
}

int cmd_help(int argc, char **argv)
{
	struct options o;
	struct diag_list dl;
	int rc;

	diag_init(&dl);
	rc = options_parse(argc, argv, &o, &dl);
	diag_free(&dl);
	if (rc)
		return options_exit(rc);
	if (argc - o.first > 1 || ((o.man || o.completion) && argc > o.first) ||
	    (o.man && o.completion))
		return usage_error("%s", "help takes one COMMAND, or --man, or "
					 "--completion=SHELL");
	if (o.first < argc && !command_find(argv[o.first]))
		return usage_error("unknown command '%s'", argv[o.first]);
	if (o.man)
		help_man(stdout);
	else if (o.completion)
		help_completion(o.completion, stdout);
	else
		help_print(o.first < argc ? argv[o.first] : NULL, stdout);
	return fflush(stdout) ? SPHC_FAILED : SPHC_OK;
}
