/* SPDX-License-Identifier: MIT */
/*
 * User strings (paths, names from foreign files) written into generated
 * files, quoted for the language of each file, so that no byte of them can
 * end a comment, a string or a line early.
 */
#ifndef SPHC_QUOTE_H
#define SPHC_QUOTE_H

#include <stdio.h>

/*
 * quote_comment - @s as text for a comment of any generated language (C,
 * DTS, linker script, sh, U-Boot script, YAML): one line of printable
 * ASCII; other bytes as \xHH, a backslash as \\, and the "*" of "*" "/"
 * as \x2a. Malloc'ed.
 */
char *quote_comment(const char *s);

/*
 * fput_sh_word - @s as one word of sh and bash, expanded by nothing:
 * between double quotes when it holds no $ ` \ " ! or control byte (the
 * usual case, readable), else between single quotes.
 */
void fput_sh_word(FILE *f, const char *s);

/* fput_c_string - @s as a C string literal (octal escapes, no trigraph). */
void fput_c_string(FILE *f, const char *s);

/* fput_dts_string - @s as a string of device tree source. */
void fput_dts_string(FILE *f, const char *s);

/* fput_yaml_string - @s as a YAML double-quoted scalar, printable ASCII. */
void fput_yaml_string(FILE *f, const char *s);

/*
 * c_ident - @name as the C identifier fragment of generated headers and
 * macros: upper case, every byte but a letter or digit as '_'. Different
 * names can give one identifier ("a-b", "a_b"; "Linux", "linux"): the
 * ident-collision rule reports them. Malloc'ed.
 */
char *c_ident(const char *name);

/*
 * path_tidy - @path without "." components and repeated slashes ("./a//b"
 * is "a/b"): one spelling of one file, so that outputs naming it do not
 * depend on how it was typed. ".." is kept (a symbolic link may precede
 * it). Malloc'ed.
 */
char *path_tidy(const char *path);

#endif
