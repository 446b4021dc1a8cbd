// SPDX-License-Identifier: MIT
/*
 * sphc dump FILE.bin [--format=yaml|json]
 *
 * Validates a blob with the runtime's own validator and prints it
 * (backends/sph/dump.c). A blob that fails validation is reported with the
 * check that failed and the byte offset of the field, exit 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/sph/dump.h"
#include "cli/cli.h"
#include "lib/util.h"

int cmd_dump(int argc, char **argv)
{
	struct options o;
	struct diag_list dl;
	const char *path;
	uint8_t *buf;
	size_t len;
	int rc;

	diag_init(&dl);
	rc = options_parse(argc, argv, &o, &dl);
	diag_free(&dl);
	if (rc)
		return options_exit(rc);
	if (o.first != argc - 1)
		return usage_error("%s", "dump takes exactly one blob file");
	path = argv[o.first];
	buf = read_file_capped(path, &len, NULL);
	if (!buf) {
		fprintf(stderr, "sphc: error: cannot read '%s': %s\n", path,
			read_error(errno));
		return SPHC_FAILED;
	}
	rc = sph_dump(buf, len, path, o.format && !strcmp(o.format, "json"),
		      stdout);
	free(buf);
	return rc;
}
