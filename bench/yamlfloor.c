// SPDX-License-Identifier: MIT
/*
 * bench-yamlfloor - the floor for `make bench`: read a file into memory the
 * way sphc does, then run libyaml's event loop over it and do nothing else.
 * No tree, no schema, no model: whatever sphc spends beyond this is its own.
 *
 *   bench-yamlfloor FILE     prints the number of events
 */
#include <stdio.h>
#include <stdlib.h>

#include <yaml.h>

int main(int argc, char **argv)
{
	size_t len = 0, cap = 0, got, events = 0;
	yaml_parser_t parser;
	yaml_event_t ev;
	char *buf = NULL;
	FILE *f;
	int done = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: bench-yamlfloor FILE\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 16384;
			buf = realloc(buf, cap);
			if (!buf)
				return 2;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	fclose(f);
	if (!yaml_parser_initialize(&parser))
		return 2;
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			fprintf(stderr, "bench-yamlfloor: %s:%zu:%zu: %s\n",
				argv[1], parser.problem_mark.line + 1,
				parser.problem_mark.column + 1,
				parser.problem ? parser.problem
					       : "parse error");
			return 1;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		events++;
	}
	yaml_parser_delete(&parser);
	free(buf);
	printf("%zu events\n", events);
	return 0;
}
