/* SPDX-License-Identifier: MIT */
/*
 * The JSON schemas, embedded so that `sphc` validates and prints them without
 * any file next to the binary. Paths are relative to the repository root,
 * where the build runs. Each text ends with a NUL byte so C can use it as a
 * string (see schema_text()). Types are written %object/%progbits rather than
 * @object because '@' starts a comment on some targets (32-bit ARM).
 */

	.section .rodata

	.global sphc_schema_system_json
	.type	sphc_schema_system_json, %object
	.balign	8
sphc_schema_system_json:
	.incbin	"schema/system.schema.json"
	.byte	0
	.size	sphc_schema_system_json, . - sphc_schema_system_json

	.global sphc_schema_board_json
	.type	sphc_schema_board_json, %object
	.balign	8
sphc_schema_board_json:
	.incbin	"schema/board.schema.json"
	.byte	0
	.size	sphc_schema_board_json, . - sphc_schema_board_json

	/* No executable stack. */
	.section .note.GNU-stack,"",%progbits
