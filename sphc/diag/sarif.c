// SPDX-License-Identifier: MIT
/*
 * SARIF 2.1.0 output, the format GitHub code scanning and other CI
 * dashboards ingest: one run, the rule registry as the driver's rules,
 * one result per diagnostic with its notes as related locations.
 */
#include <ctype.h>
#include <string.h>

#include "diag/internal.h"
#include "diag/rules.h"
#include "lib/util.h"

/* A relative path as a URI reference: percent-encode what URIs forbid. */
static json_t *path_to_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path), i, o = 0;
	char *buf = xmalloc(3 * n + 1);
	json_t *s;

	for (i = 0; i < n; i++) {
		unsigned char c = path[i];

		if (isalnum(c) || strchr("/-._~", c)) {
			buf[o++] = c;
		} else {
			buf[o++] = '%';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	buf[o] = '\0';
	s = json_string(buf);
	free(buf);
	return s;
}

static json_t *physical_location(const struct loc *loc)
{
	json_t *pl = json_object(), *art = json_object(), *reg = json_object();

	json_object_set_new(art, "uri",
			    path_to_uri(loc->src ? loc->src->path : "sphc"));
	json_object_set_new(pl, "artifactLocation", art);
	if (loc->line) {
		json_object_set_new(reg, "startLine", json_integer(loc->line));
		json_object_set_new(reg, "startColumn", json_integer(loc->col));
		json_object_set_new(pl, "region", reg);
	} else {
		json_decref(reg);
	}
	return pl;
}

static json_t *text_message(const char *text)
{
	return json_pack("{s:s}", "text", text);
}

static const char *sarif_level(enum diag_severity sev)
{
	return sev == DIAG_ERROR     ? "error"
	       : sev == DIAG_WARNING ? "warning"
				     : "note";
}

static json_t *rules_json(void)
{
	json_t *rules = json_array();
	unsigned int i;

	for (i = 0; i < RULE_COUNT; i++) {
		const struct rule_info *r = &rule_table[i];

		json_array_append_new(rules,
				      json_pack("{s:s, s:o, s:{s:s}}", "id",
						r->id, "shortDescription",
						text_message(r->summary),
						"defaultConfiguration", "level",
						sarif_level(r->severity)));
	}
	return rules;
}

static json_t *result_json(const struct diag *d)
{
	json_t *res = json_object(), *locs = json_array(), *rel;
	const struct rule_info *r = rule_find(d->rule);
	unsigned int j;

	json_object_set_new(res, "ruleId", json_string(d->rule));
	if (r)
		json_object_set_new(res, "ruleIndex",
				    json_integer(r - rule_table));
	json_object_set_new(res, "level",
			    json_string(sarif_level(d->severity)));
	json_object_set_new(res, "message", text_message(d->msg));
	json_array_append_new(locs, json_pack("{s:o}", "physicalLocation",
					      physical_location(&d->loc)));
	json_object_set_new(res, "locations", locs);
	if (d->nnotes) {
		rel = json_array();
		for (j = 0; j < d->nnotes; j++)
			json_array_append_new(
				rel,
				json_pack("{s:i, s:o, s:o}", "id", (int)j + 1,
					  "physicalLocation",
					  physical_location(&d->notes[j].loc),
					  "message",
					  text_message(d->notes[j].msg)));
		json_object_set_new(res, "relatedLocations", rel);
	}
	return res;
}

int diag_render_sarif(const struct diag_list *dl,
		      const struct diag_render_opts *o, FILE *out)
{
	json_t *root, *results = json_array();
	size_t i;
	int rc;

	for (i = 0; i < dl->n; i++)
		json_array_append_new(results, result_json(&dl->v[i]));
	root = json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:s, s:o}}, s:o}]}",
			 "$schema",
			 "https://json.schemastore.org/sarif-2.1.0.json",
			 "version", "2.1.0", "runs", "tool", "driver", "name",
			 "sphc", "version", o->tool_version, "informationUri",
			 "https://github.com/sphc/sphc", "rules", rules_json(),
			 "results", results);
	if (!root)
		return -1;
	rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	return rc;
}
