// SPDX-License-Identifier: MIT
/*
 * sphc lsp: a Language Server (JSON-RPC 2.0 over stdio, LSP 3.17) for
 * system descriptions, so that an editor shows sphc's findings while the
 * file is typed.
 *
 *  - textDocument/didOpen, didChange (full text), didSave: the buffer is
 *    checked as `sphc check` checks the file (input_override() reads the
 *    buffer instead of the file), on each board of its boards:, and the
 *    findings are published: the same rule ids (code), severities, ranges
 *    from file:line:col, notes as related information. A finding in
 *    another file (the board) is shown at the top of the buffer. didClose
 *    clears them.
 *  - textDocument/hover on a key: its description, default and examples
 *    from the schema.
 *  - textDocument/completion: the keys the schema allows where the cursor
 *    is (by indentation), board names after board:, and the devices of the
 *    board after devices:, console: or in a devices list.
 *
 * Messages are read with a Content-Length bound; a malformed one ends the
 * session with exit status 2. Exit 0 after shutdown and exit.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "front/boardpath.h"
#include "front/ynode.h"
#include "lib/util.h"
#include "validate/schema.h"

#define MAX_MESSAGE (64u << 20)

struct doc {
	char *uri, *path, *text;
	size_t len;
	char **devices; /* of its board, from the last check; NULL-ended */
};

struct server {
	struct doc *docs;
	size_t ndocs, cap;
	json_t *schema[2]; /* system, board */
	bool shutdown;
};

/* --- JSON-RPC framing ---------------------------------------------------- */

/* read_message - the next message, or NULL at end of input or on error. */
static json_t *read_message(FILE *in)
{
	char line[256];
	size_t len = 0;
	bool have_len = false;
	json_t *msg;
	char *buf;

	while (fgets(line, sizeof(line), in)) {
		if (!strcmp(line, "\r\n") || !strcmp(line, "\n")) {
			if (!have_len)
				return NULL;
			buf = malloc(len + 1);
			if (!buf || fread(buf, 1, len, in) != len) {
				free(buf);
				return NULL;
			}
			msg = json_loadb(buf, len, 0, NULL);
			free(buf);
			return msg;
		}
		if (!strncasecmp(line, "Content-Length:", 15)) {
			char *end;
			unsigned long v = strtoul(line + 15, &end, 10);

			if (end == line + 15 || v > MAX_MESSAGE)
				return NULL;
			len = v;
			have_len = true;
		}
	}
	return NULL;
}

static void send_message(json_t *msg)
{
	char *text = json_dumps(msg, JSON_COMPACT);

	if (text) {
		printf("Content-Length: %zu\r\n\r\n%s", strlen(text), text);
		fflush(stdout);
		free(text);
	}
	json_decref(msg);
}

static void reply(json_t *id, json_t *result)
{
	send_message(json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id,
			       "result", result ? result : json_null()));
}

static void reply_error(json_t *id, int code, const char *what)
{
	send_message(json_pack("{s:s, s:O, s:{s:i, s:s}}", "jsonrpc", "2.0",
			       "id", id, "error", "code", code, "message",
			       what));
}

static void notify(const char *method, json_t *params)
{
	send_message(json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method",
			       method, "params", params));
}

/* --- documents ------------------------------------------------------------ */

/* The path of a file:// URI, percent-decoded; other URIs as they are. */
static char *uri_path(const char *uri)
{
	const char *p = strncmp(uri, "file://", 7) ? uri : uri + 7;
	char *out = xcalloc(strlen(p) + 1, 1), *o = out;

	for (; *p; p++) {
		if (*p == '%' && isxdigit((unsigned char)p[1]) &&
		    isxdigit((unsigned char)p[2])) {
			char hex[3] = { p[1], p[2], 0 };

			*o++ = (char)strtol(hex, NULL, 16);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	return out;
}

/* A file:// URI for @path (absolute, else as given), percent-encoded. */
static char *path_uri(const char *path)
{
	char *out = xcalloc(3 * strlen(path) + 8, 1), *o = out;
	const char *p;

	o += sprintf(o, "file://");
	for (p = path; *p; p++)
		if (isalnum((unsigned char)*p) || strchr("/-_.~", *p))
			*o++ = *p;
		else
			o += sprintf(o, "%%%02X", (unsigned char)*p);
	return out;
}

static struct doc *doc_find(struct server *s, const char *uri)
{
	size_t i;

	for (i = 0; uri && i < s->ndocs; i++)
		if (!strcmp(s->docs[i].uri, uri))
			return &s->docs[i];
	return NULL;
}

static void free_list(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static void doc_set(struct server *s, const char *uri, const char *text)
{
	struct doc *d = doc_find(s, uri);

	if (!d) {
		VEC_RESERVE(s->docs, s->ndocs, s->cap);
		d = &s->docs[s->ndocs++];
		memset(d, 0, sizeof(*d));
		d->uri = xstrdup(uri);
		d->path = uri_path(uri);
	}
	free(d->text);
	d->text = xstrdup(text);
	d->len = strlen(text);
}

static void doc_close(struct server *s, struct doc *d)
{
	free(d->uri);
	free(d->path);
	free(d->text);
	free_list(d->devices);
	*d = s->docs[--s->ndocs];
}

/* --- diagnostics ---------------------------------------------------------- */

/* UTF-16 code units of the first @bytes bytes of @line (LSP characters). */
static int utf16_col(const char *line, size_t line_len, size_t bytes)
{
	int n = 0;
	size_t i;

	for (i = 0; i < bytes && i < line_len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c & 0xC0) != 0x80)
			n += c >= 0xF0 ? 2 : 1;
	}
	return n;
}

/* An LSP range for @l: from its column to the end of the token there. */
static json_t *range_of(struct loc l)
{
	size_t len = 0, start, end;
	const char *line =
		l.src && l.line ? source_line(l.src, l.line, &len) : NULL;
	int a = 0, b = 0;

	if (line) {
		start = l.col ? l.col - 1 : 0;
		for (end = start; end < len && !strchr(" \t,}]#", line[end]);
		     end++)
			;
		if (end == start && end < len)
			end++;
		a = utf16_col(line, len, start);
		b = utf16_col(line, len, end);
	}
	return json_pack("{s:{s:i, s:i}, s:{s:i, s:i}}", "start", "line",
			 l.line ? (int)l.line - 1 : 0, "character", a, "end",
			 "line", l.line ? (int)l.line - 1 : 0, "character", b);
}

static json_t *diag_json(const struct diag *d, const char *path)
{
	static const int severity[] = {
		[DIAG_ERROR] = 1, [DIAG_WARNING] = 2, [DIAG_NOTE] = 3
	};
	bool here = d->loc.src && !strcmp(d->loc.src->path, path);
	json_t *related = json_array(), *out;
	char *msg;
	unsigned int i;

	if (here || !d->loc.src)
		msg = xstrdup(d->msg);
	else /* in the board file: shown at the top of this one */
		msg = xasprintf("%s:%u:%u: %s", d->loc.src->path, d->loc.line,
				d->loc.col, d->msg);
	for (i = 0; i < d->nnotes; i++) {
		const struct diag_note *n = &d->notes[i];
		char *uri = path_uri(n->loc.src ? n->loc.src->path : path);

		json_array_append_new(related,
				      json_pack("{s:{s:s, s:o}, s:s}",
						"location", "uri", uri, "range",
						range_of(n->loc), "message",
						n->msg));
		free(uri);
	}
	out = json_pack("{s:o, s:i, s:s, s:s, s:s, s:o}", "range",
			here ? range_of(d->loc) : range_of((struct loc){ 0 }),
			"severity", severity[d->severity], "code", d->rule,
			"source", "sphc", "message", msg, "relatedInformation",
			related);
	free(msg);
	return out;
}

/* What the editor checks for: a default build, as `sphc check`. */
static const struct options lsp_check_options;

/* Check @d's buffer on each of its boards and publish the findings. */
static void publish(struct doc *d)
{
	struct diag_list dl;
	json_t *list = json_array();
	struct run *runs;
	size_t n, i, k;

	diag_init(&dl);
	input_override(d->path, d->text, d->len);
	runs = runs_load(d->path, NULL, true, &n, &lsp_check_options, &dl);
	diag_sort(&dl);
	for (i = 0; i < dl.n; i++)
		json_array_append_new(list, diag_json(&dl.v[i], d->path));
	if (runs[0].in.board.name) {
		const struct m_board *b = &runs[0].in.board;

		free_list(d->devices);
		d->devices = xcalloc(b->ndevices + 1, sizeof(*d->devices));
		for (k = 0; k < b->ndevices; k++)
			d->devices[k] = xstrdup(b->devices[k].name);
	}
	runs_free(runs, n);
	input_override(NULL, NULL, 0);
	diag_free(&dl);
	notify("textDocument/publishDiagnostics",
	       json_pack("{s:s, s:o}", "uri", d->uri, "diagnostics", list));
}

/* --- the schema: hover and completion ------------------------------------- */

static json_t *resolve(json_t *root, json_t *node)
{
	const char *ref;
	int depth;

	for (depth = 0; node && depth < 8; depth++) {
		ref = json_string_value(json_object_get(node, "$ref"));
		if (!ref || strncmp(ref, "#/$defs/", 8))
			break;
		node = json_object_get(json_object_get(root, "$defs"), ref + 8);
	}
	return node;
}

/* The subschema of key @key in the mapping that @node describes. */
static json_t *step_key(json_t *root, json_t *node, const char *key)
{
	json_t *p, *branch, *extra;
	size_t i;

	node = resolve(root, node);
	p = json_object_get(json_object_get(node, "properties"), key);
	if (p)
		return p;
	json_array_foreach(json_object_get(node, "oneOf"), i, branch) {
		p = json_object_get(
			json_object_get(resolve(root, branch), "properties"),
			key);
		if (p)
			return p;
	}
	extra = json_object_get(node, "additionalProperties");
	return json_is_object(extra) ? extra : NULL;
}

/* The subschema of the items of the list that @node describes. */
static json_t *step_items(json_t *root, json_t *node)
{
	json_t *branch;
	size_t i;

	node = resolve(root, node);
	if (json_object_get(node, "items"))
		return json_object_get(node, "items");
	json_array_foreach(json_object_get(node, "oneOf"), i, branch) {
		branch = resolve(root, branch);
		if (json_object_get(branch, "items"))
			return json_object_get(branch, "items");
	}
	return NULL;
}

static const char *describe(json_t *root, json_t *node)
{
	const char *d = json_string_value(json_object_get(node, "description"));

	return d ? d
		 : json_string_value(
			   json_object_get(resolve(root, node), "description"));
}

static json_t *schema_of(struct server *s, const struct doc *d)
{
	return strstr(d->text, "sphc-board:") ? s->schema[1] : s->schema[0];
}

/*
 * find_key - the schema of the key under (@line, @col) (1-based, bytes) in
 * the YAML tree @n described by @sch; its name in *@name.
 */
static json_t *find_key(json_t *root, json_t *sch, const struct ynode *n,
			uint32_t line, uint32_t col, const char **name)
{
	json_t *found;
	uint32_t i;

	if (!n || !sch || n->kind == YNODE_SCALAR)
		return NULL;
	for (i = 0; i < n->len; i++) {
		if (n->kind == YNODE_SEQ) {
			found = find_key(root, step_items(root, sch),
					 ynode_kid(n, i), line, col, name);
		} else {
			const struct ynode *k = ynode_kid(n, 2 * i);
			json_t *sub = k->kind == YNODE_SCALAR
					      ? step_key(root, sch, k->str)
					      : NULL;

			if (k->kind == YNODE_SCALAR && k->line == line &&
			    col >= k->col && col < k->col + k->len) {
				*name = k->str;
				return sub;
			}
			found = find_key(root, sub, ynode_kid(n, 2 * i + 1),
					 line, col, name);
		}
		if (found)
			return found;
	}
	return NULL;
}

static void hover(struct server *s, json_t *id, struct doc *d, int line,
		  int character)
{
	struct source *src = source_from_memory(d->path, d->text, d->len);
	json_t *root = schema_of(s, d), *sch;
	struct diag_list quiet;
	const char *name = NULL, *desc;
	struct ydoc doc;
	char *text = NULL, *ex;

	diag_init(&quiet);
	ydoc_parse(src, &doc, &quiet);
	/* Columns in bytes: right for the ASCII keys of the schema. */
	sch = find_key(root, root, doc.root, (uint32_t)line + 1,
		       (uint32_t)character + 1, &name);
	desc = sch ? describe(root, sch) : NULL;
	if (desc) {
		json_t *def = json_object_get(sch, "default");
		json_t *exs = json_object_get(sch, "examples");
		char *dtext = def ? json_dumps(def, JSON_ENCODE_ANY) : NULL;

		ex = exs ? json_dumps(exs, JSON_ENCODE_ANY) : NULL;
		text = xasprintf("**%s**: %s%s%s%s%s%s%s", name, desc,
				 dtext ? "\n\nDefault: `" : "",
				 dtext ? dtext : "", dtext ? "`" : "",
				 ex ? "\n\nExamples: `" : "", ex ? ex : "",
				 ex ? "`" : "");
		free(dtext);
		free(ex);
	}
	ydoc_free(&doc);
	diag_free(&quiet);
	source_free_all(src);
	reply(id, text ? json_pack("{s:{s:s, s:s}}", "contents", "kind",
				   "markdown", "value", text)
		       : NULL);
	free(text);
}

/* Line @n of @text (0-based) up to byte @upto, into a new string. */
static char *line_prefix(const char *text, int n, int upto)
{
	const char *p = text, *end;

	while (n-- > 0 && p)
		p = (p = strchr(p, '\n')) ? p + 1 : NULL;
	if (!p)
		return xstrdup("");
	end = strchr(p, '\n');
	if (!end)
		end = p + strlen(p);
	if (end - p > upto)
		end = p + upto;
	return xstrndup(p, (size_t)(end - p));
}

/* One line's shape: where its "- " is, where its key starts, the key. */
struct shape {
	int dash, indent; /* -1: no dash */
	char key[64];
	bool opens; /* "key:" with nothing after it: a block follows */
	bool blank;
};

static struct shape shape_of(const char *line)
{
	struct shape sh = { .dash = -1 };
	const char *p = line, *k;
	size_t n;

	while (*p == ' ')
		p++;
	if (p[0] == '-' && (p[1] == ' ' || !p[1])) {
		sh.dash = (int)(p - line);
		p++;
		while (*p == ' ')
			p++;
	}
	sh.indent = (int)(p - line);
	sh.blank = !*p || *p == '#';
	for (k = p; *k && (isalnum((unsigned char)*k) || *k == '-' ||
			   *k == '_' || *k == '.');
	     k++)
		;
	n = (size_t)(k - p);
	if (*k == ':' && n < sizeof(sh.key)) {
		memcpy(sh.key, p, n);
		sh.key[n] = '\0';
		for (k++; *k == ' '; k++)
			;
		sh.opens = !*k || *k == '#' || *k == '\r';
	}
	return sh;
}

/* The schema of the mapping the cursor's line is in, by indentation. */
static json_t *enclosing(json_t *root, const char *text, int line,
			 const char *cur)
{
	struct shape sh = shape_of(cur), up;
	int target = sh.dash >= 0 ? sh.dash : sh.indent, n;
	bool item = sh.dash >= 0;
	struct {
		char key[64];
		bool item;
	} path[32];
	int depth = 0, i;
	json_t *node = root;

	for (n = line - 1; n >= 0 && target > 0; n--) {
		char *l = line_prefix(text, n, 1 << 20);

		up = shape_of(l);
		free(l);
		if (up.blank)
			continue;
		if (up.indent == target && up.dash >= 0 && up.dash < target) {
			item = true; /* a sibling that starts the list item */
			target = up.dash;
		} else if (up.indent < target && up.opens && up.key[0] &&
			   depth < 32) {
			memcpy(path[depth].key, up.key, sizeof(up.key));
			path[depth++].item = item;
			item = up.dash >= 0;
			target = up.dash >= 0 ? up.dash : up.indent;
		}
	}
	for (i = depth - 1; i >= 0 && node; i--) {
		node = step_key(root, node, path[i].key);
		if (path[i].item)
			node = step_items(root, node);
	}
	return node;
}

static void add_item(json_t *items, const char *label, int kind,
		     const char *doc, const char *insert)
{
	json_t *it = json_pack("{s:s, s:i}", "label", label, "kind", kind);

	if (doc)
		json_object_set_new(it, "documentation", json_string(doc));
	if (insert)
		json_object_set_new(it, "insertText", json_string(insert));
	json_array_append_new(items, it);
}

static bool in_devices(const char *text, int line, const char *cur)
{
	struct shape sh = shape_of(cur);
	int n;

	if (strstr(cur, "devices:") || strstr(cur, "console:"))
		return true;
	if (sh.dash < 0)
		return false;
	for (n = line - 1; n >= 0; n--) {
		char *l = line_prefix(text, n, 1 << 20);
		struct shape up = shape_of(l);

		free(l);
		if (up.blank || (up.dash == sh.dash && up.indent == sh.indent &&
				 !up.key[0]))
			continue;
		return up.indent < sh.dash + 1 && !strcmp(up.key, "devices");
	}
	return false;
}

static void complete(struct server *s, json_t *id, struct doc *d, int line,
		     int character)
{
	char *cur = line_prefix(d->text, line, character);
	json_t *items = json_array(), *root = schema_of(s, d), *node, *v;
	struct shape sh = shape_of(cur);
	const char *key;
	size_t i;

	if (strstr(cur, "board:") || strstr(cur, "boards:") ||
	    (sh.dash >= 0 && !sh.key[0] &&
	     strstr(d->text, "boards:"))) { /* board names */
		char **names = boardpath_list();

		for (i = 0; names[i]; i++)
			add_item(items, names[i], 12, "a built-in board", NULL);
		boardpath_list_free(names);
	}
	if (in_devices(d->text, line, cur))
		for (i = 0; d->devices && d->devices[i]; i++)
			add_item(items, d->devices[i], 12,
				 "a device of the board", NULL);
	if (!sh.key[0] && !strchr(cur, ':')) { /* typing a key */
		node = resolve(root, enclosing(root, d->text, line, cur));
		json_object_foreach(json_object_get(node, "properties"), key,
				    v) {
			char *insert = xasprintf("%s: ", key);

			add_item(items, key, 10, describe(root, v), insert);
			free(insert);
		}
	}
	free(cur);
	reply(id, json_pack("{s:b, s:o}", "isIncomplete", 0, "items", items));
}

/* --- the session ---------------------------------------------------------- */

static json_t *capabilities(void)
{
	return json_pack("{s:{s:{s:b, s:i, s:b}, s:b, s:{s:[s, s, s]}}, "
			 "s:{s:s, s:s}}",
			 "capabilities", "textDocumentSync", "openClose", 1,
			 "change", 1, "save", 1, "hoverProvider", 1,
			 "completionProvider", "triggerCharacters", ":", " ",
			 "-", "serverInfo", "name", "sphc", "version",
			 SPHC_VERSION);
}

static void position(json_t *params, int *line, int *character)
{
	json_t *pos = json_object_get(params, "position");

	json_int_t l = json_integer_value(json_object_get(pos, "line"));
	json_int_t c = json_integer_value(json_object_get(pos, "character"));

	/* Out of range positions point nowhere, never before the text. */
	*line = l < 0 || l > 1 << 30 ? 1 << 30 : (int)l;
	*character = c < 0 || c > 1 << 30 ? 0 : (int)c;
}

/* Handle one message; false when the session ends. */
static bool handle(struct server *s, json_t *msg, int *status)
{
	const char *method = json_string_value(json_object_get(msg, "method"));
	json_t *id = json_object_get(msg, "id");
	json_t *params = json_object_get(msg, "params");
	json_t *td = json_object_get(params, "textDocument");
	const char *uri = json_string_value(json_object_get(td, "uri"));
	struct doc *d = doc_find(s, uri);
	int line, character;

	if (!method)
		return true; /* a response to nothing we asked */
	if (!strcmp(method, "initialize")) {
		reply(id, capabilities());
	} else if (!strcmp(method, "shutdown")) {
		s->shutdown = true;
		reply(id, NULL);
	} else if (!strcmp(method, "exit")) {
		*status = s->shutdown ? SPHC_OK : 1;
		return false;
	} else if (!strcmp(method, "textDocument/didOpen") && uri &&
		   json_string_value(json_object_get(td, "text"))) {
		doc_set(s, uri, json_string_value(json_object_get(td, "text")));
		publish(doc_find(s, uri));
	} else if (!strcmp(method, "textDocument/didChange") && d) {
		json_t *changes = json_object_get(params, "contentChanges");
		json_t *last =
			json_array_get(changes, json_array_size(changes) - 1);
		const char *text =
			json_string_value(json_object_get(last, "text"));

		if (text) {
			doc_set(s, uri, text);
			publish(doc_find(s, uri));
		}
	} else if (!strcmp(method, "textDocument/didSave") && d) {
		publish(d);
	} else if (!strcmp(method, "textDocument/didClose") && d) {
		notify("textDocument/publishDiagnostics",
		       json_pack("{s:s, s:[]}", "uri", uri, "diagnostics"));
		doc_close(s, d);
	} else if (!strcmp(method, "textDocument/hover") && id) {
		position(params, &line, &character);
		if (d)
			hover(s, id, d, line, character);
		else
			reply(id, NULL);
	} else if (!strcmp(method, "textDocument/completion") && id) {
		position(params, &line, &character);
		if (d)
			complete(s, id, d, line, character);
		else
			reply(id, json_pack("{s:b, s:[]}", "isIncomplete", 0,
					    "items"));
	} else if (id) {
		reply_error(id, -32601, "method not found");
	}
	return true;
}

int cmd_lsp(int argc, char **argv)
{
	struct server s = { 0 };
	struct options o;
	struct diag_list dl;
	int rc, status = 1;
	json_t *msg;
	size_t i;

	diag_init(&dl);
	rc = options_parse(argc, argv, &o, &dl);
	diag_free(&dl);
	if (rc)
		return options_exit(rc);
	if (o.first < argc)
		return usage_error("%s", "lsp takes no arguments: it speaks "
					 "LSP on stdin and stdout");
	s.schema[0] = json_loads(schema_text(SCHEMA_SYSTEM), 0, NULL);
	s.schema[1] = json_loads(schema_text(SCHEMA_BOARD), 0, NULL);
	for (;;) {
		msg = read_message(stdin);
		if (!msg) {
			status = SPHC_FAILED; /* end of input without exit */
			break;
		}
		rc = handle(&s, msg, &status);
		json_decref(msg);
		if (!rc)
			break;
	}
	for (i = s.ndocs; i > 0; i--)
		doc_close(&s, &s.docs[i - 1]);
	free(s.docs);
	json_decref(s.schema[0]);
	json_decref(s.schema[1]);
	return status;
}
