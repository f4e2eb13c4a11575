/*
 * json: the machine-readable report, one JSON object on one line.
 *
 * Schema, version 1. A change that removes or retypes a field bumps
 * "version"; new fields may appear without a bump, so readers must ignore
 * fields they do not know. Arrays keep the report's order (findings sorted
 * by path, line, column, rule; skips by path).
 *
 *   {
 *     "version": 1,
 *     "tool": { "name": "bkgen", "version": "0.1.0" },
 *     "command": "check",
 *     "findings": [
 *       {
 *         "rule": "js-fetch-timeout",
 *         "severity": "warning",          error | warning | info
 *         "message": "fetch() without a timeout",
 *         "path": "src/app.js",           as given, or relative to the cwd
 *         "range": {
 *           "start": { "line": 0, "character": 21 },
 *           "end": { "line": 0, "character": 29 }
 *         },
 *         "fix": "pass signal: AbortSignal.timeout(ms)",   or null
 *         "docs": "https://...",          or null
 *         "category": "reliability",      or null
 *         "detail": "query: ...\nplan: ..."   only when the finding has one
 *       }
 *     ],
 *     "skipped": [
 *       { "path": "dist/app.min.js", "reason": "minified",
 *         "detail": "line 1 is 48213 bytes" }          detail may be null
 *     ],
 *     "summary": { "files": 12, "findings": 1, "errors": 0,
 *                  "warnings": 1, "infos": 0, "skipped": 1,
 *                  "roles": { "source": { "files": 10, "checked": 10 },
 *                             "test": { "files": 3, "checked": 0 } },
 *                  "unsupported": { ".vue": 4 } }
 *   }
 *
 * Positions are as in the Language Server Protocol: "line" is 0-based and
 * "character" is the 0-based offset in UTF-16 code units, so editors can
 * use them unchanged. "end" is exclusive. "reason" is one of binary,
 * minified, generated, vendored, oversized, invalid-utf8, unreadable,
 * parse-error, symlink-loop, timeout, regex-limit. With
 * --report-unused-ignores, a bkgen-ignore comment that suppresses nothing
 * is a finding of the rule "unused-ignore". "summary.files" counts the
 * files checked (read, parsed or not); "summary.skipped" the entries of
 * "skipped"; "summary.roles" the files read per code role (only roles that
 * have files) and how many of them a rule applied to;
 * "summary.unsupported" the files of languages bkgen does not read, by
 * extension; "summary.not_reported", present only when not 0, counts the
 * findings left out by --max-findings and --max-findings-per-file (a file
 * past the latter also has one finding of the rule "too-many-findings").
 * Strings are UTF-8; bytes that are not valid
 * UTF-8 (possible in paths) are replaced by U+FFFD.
 */
#include "output.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "base/lang.h"
#include "base/util.h"

/* jansson helpers, shared with the sarif writer. */

static void json_oom(void)
{
	fputs("bkgen: fatal: out of memory building JSON\n", stderr);
	exit(3);
}

struct json_t *bk_json_ok(struct json_t *val)
{
	if (!val)
		json_oom();
	return val;
}

struct json_t *bk_json_str(const char *s)
{
	struct bk_buf clean = BK_BUF_INIT;
	size_t len;
	json_t *v;

	if (!s)
		return json_null();
	len = strlen(s);
	if ((v = json_stringn(s, len)))
		return v;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = bk_utf8_decode(s + i, len - i, &cp);
		if (cp == 0xfffd && n == 1)
			bk_buf_puts(&clean, "\xef\xbf\xbd");
		else
			bk_buf_add(&clean, s + i, n);
		i += n;
	}
	v = bk_json_ok(json_stringn(clean.ptr, clean.len));
	bk_buf_release(&clean);
	return v;
}

void bk_json_set(struct json_t *obj, const char *key, struct json_t *val)
{
	if (json_object_set_new(obj, key, bk_json_ok(val)))
		json_oom();
}

void bk_json_push(struct json_t *arr, struct json_t *val)
{
	if (json_array_append_new(arr, bk_json_ok(val)))
		json_oom();
}

/* ---- the json format ---- */

static json_t *json_position(uint32_t line, uint32_t character)
{
	return bk_json_ok(json_pack("{s:I,s:I}", "line", (json_int_t)line,
				    "character", (json_int_t)character));
}

static json_t *json_finding(const struct bk_finding *f)
{
	const struct bk_rule *rule = f->rule;
	uint32_t start, end;
	json_t *o;

	bk_finding_utf16_cols(f, &start, &end);
	o = bk_json_ok(json_pack(
		"{s:o,s:s,s:o,s:o,s:{s:o,s:o},s:o,s:o,s:o}",
		"rule", bk_json_str(rule->id),
		"severity", bk_severity_name(f->severity),
		"message", bk_json_str(f->message),
		"path", bk_json_str(f->path),
		"range", "start", json_position(f->start_line, start),
		"end", json_position(f->end_line, end),
		"fix", bk_json_str(f->fix ? f->fix
					   : bk_rule_fix_for(rule, bk_lang_for_path(f->path))),
		"docs", bk_json_str(rule->docs),
		"category", bk_json_str(rule->category)));
	if (f->detail)
		bk_json_set(o, "detail", bk_json_str(f->detail));
	return o;
}

static json_t *json_findings(const struct bk_report *r)
{
	json_t *arr = bk_json_ok(json_array());

	for (size_t i = 0; i < r->findings_nr; i++)
		bk_json_push(arr, json_finding(&r->findings[i]));
	return arr;
}

static json_t *json_skips(const struct bk_report *r)
{
	json_t *arr = bk_json_ok(json_array());

	for (size_t i = 0; i < r->skips_nr; i++) {
		const struct bk_skip *s = &r->skips[i];
		bk_json_push(arr, json_pack("{s:o,s:s,s:o}",
			     "path", bk_json_str(s->path),
			     "reason", bk_skip_reason_name(s->reason),
			     "detail", bk_json_str(s->detail)));
	}
	return arr;
}

static json_t *json_roles(const struct bk_report *r)
{
	json_t *o = bk_json_ok(json_object());
	for (int i = 0; i < BK_ROLE__COUNT; i++)
		if (r->role_files[i])
			bk_json_set(o, bk_role_name((enum bk_role)i), bk_json_ok(json_pack(
				"{s:I,s:I}", "files", (json_int_t)r->role_files[i],
				"checked", (json_int_t)(r->role_files[i] - r->role_unchecked[i]))));
	return o;
}

static json_t *json_unsupported(const struct bk_report *r)
{
	json_t *o = bk_json_ok(json_object());
	for (size_t i = 0; i < r->unsupported_nr; i++)
		bk_json_set(o, r->unsupported[i].ext,
			    bk_json_ok(json_integer((json_int_t)r->unsupported[i].n)));
	return o;
}

static json_t *json_summary(const struct bk_report *r)
{
	size_t n[3];
	json_t *s;

	bk_output_count(r, n);
	s = bk_json_ok(json_pack(
		"{s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o}",
		"files", (json_int_t)(r->files_scanned + r->files_prefiltered),
		"findings", (json_int_t)r->findings_nr,
		"errors", (json_int_t)n[BK_SEV_ERROR],
		"warnings", (json_int_t)n[BK_SEV_WARNING],
		"infos", (json_int_t)n[BK_SEV_INFO],
		"skipped", (json_int_t)r->skips_nr,
		"roles", json_roles(r),
		"unsupported", json_unsupported(r)));
	if (r->findings_not_shown)
		bk_json_set(s, "not_reported", json_integer((json_int_t)r->findings_not_shown));
	return s;
}

int bk_output_json(FILE *out, const struct bk_report *r,
		   const struct bk_output_opts *opts)
{
	json_t *root = bk_json_ok(json_pack(
		"{s:i,s:{s:o,s:o},s:o,s:o,s:o,s:o}",
		"version", 1,
		"tool", "name", bk_json_str(opts->tool_name ? opts->tool_name
							    : "bkgen"),
		"version", bk_json_str(opts->tool_version),
		"command", bk_json_str(opts->command ? opts->command : "check"),
		"findings", json_findings(r),
		"skipped", json_skips(r),
		"summary", json_summary(r)));
	int ret = json_dumpf(root, out, JSON_COMPACT);

	json_decref(root);
	if (!ret && fputc('\n', out) == EOF)
		ret = -1;
	return ret;
}
