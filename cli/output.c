/*
 * Diagnostic output: format names, the dispatch, the column conversions all
 * writers share, and the two CI formats (GitHub workflow commands and SARIF
 * 2.1.0 for code scanning). Text and JSON live in their own files.
 *
 * Columns: findings carry byte columns; each format states its own unit.
 * SARIF and the GitHub annotations use UTF-16 code units (SARIF's default
 * columnKind, and what JavaScript-based viewers count), 1-based.
 */
#include "output.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"

const char *const bk_format_names[] = {
	"text", "json", "sarif", "github", NULL
};

int bk_format_parse(enum bk_format *out, const char *name)
{
	for (int i = 0; bk_format_names[i]; i++)
		if (!strcmp(name, bk_format_names[i])) {
			*out = (enum bk_format)i;
			return 0;
		}
	return -1;
}

/* ---- UTF-8 ---- */

static size_t utf8_expect(unsigned char c, uint32_t *cp, uint32_t *min)
{
	if (c >= 0xc2 && c <= 0xdf) {
		*cp = c & 0x1fu, *min = 0x80;
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		*cp = c & 0x0fu, *min = 0x800;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		*cp = c & 0x07u, *min = 0x10000;
		return 4;
	}
	return 0;
}

size_t bk_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t v, min;
	size_t len;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	len = utf8_expect(u[0], &v, &min);
	if (!len || len > n)
		goto invalid;
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			goto invalid;
		v = (v << 6) | (u[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		goto invalid;
	*cp = v;
	return len;
invalid:
	*cp = 0xfffd;
	return 1;
}

static uint32_t count_units(const char *line, uint32_t bytes, int utf16)
{
	size_t len = line ? strnlen(line, bytes) : 0;
	uint32_t units = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += bk_utf8_decode(line + i, len - i, &cp);
		units += utf16 && cp >= 0x10000 ? 2 : 1;
	}
	/* Past the end of the text (the newline, end of file): one per byte. */
	return units + (bytes - (uint32_t)len);
}

uint32_t bk_utf16_column(const char *line, uint32_t bytes)
{
	return count_units(line, bytes, 1);
}

uint32_t bk_codepoint_column(const char *line, uint32_t bytes)
{
	return count_units(line, bytes, 0);
}

void bk_finding_utf16_cols(const struct bk_finding *f, uint32_t *start,
			   uint32_t *end)
{
	const char *end_text = f->end_line_text;

	if (!end_text && f->end_line == f->start_line)
		end_text = f->line_text;
	*start = bk_utf16_column(f->line_text, f->start_col);
	*end = bk_utf16_column(end_text, f->end_col);
}

void bk_output_count(const struct bk_report *r, size_t counts[3])
{
	counts[0] = counts[1] = counts[2] = 0;
	for (size_t i = 0; i < r->findings_nr; i++)
		if ((unsigned)r->findings[i].severity < 3)
			counts[r->findings[i].severity]++;
}

/* ---- github: workflow commands ---- */

/* Data escapes % CR LF; properties also : and , (as @actions/core does). */
static void gh_escape(struct bk_buf *b, const char *s, int property)
{
	for (; *s; s++) {
		if (*s == '%')
			bk_buf_puts(b, "%25");
		else if (*s == '\r')
			bk_buf_puts(b, "%0D");
		else if (*s == '\n')
			bk_buf_puts(b, "%0A");
		else if (property && *s == ':')
			bk_buf_puts(b, "%3A");
		else if (property && *s == ',')
			bk_buf_puts(b, "%2C");
		else
			bk_buf_putc(b, *s);
	}
}

/* The message with the finding's detail and own fix, for formats with one text. */
static char *long_message(const struct bk_finding *f)
{
	struct bk_buf b = BK_BUF_INIT;

	bk_buf_puts(&b, f->message);
	if (f->detail)
		bk_buf_printf(&b, "\n%s", f->detail);
	if (f->fix)
		bk_buf_printf(&b, "\nfix: %s", f->fix);
	return bk_buf_detach(&b);
}

static const char *const gh_commands[] = { "notice", "warning", "error" };

static void gh_finding(struct bk_buf *b, const struct bk_finding *f)
{
	uint32_t col, end_col;

	bk_finding_utf16_cols(f, &col, &end_col);
	bk_buf_printf(b, "::%s file=", (unsigned)f->severity < 3 ?
		      gh_commands[f->severity] : "error");
	gh_escape(b, f->path, 1);
	bk_buf_printf(b, ",line=%" PRIu32, f->start_line + 1);
	/* Columns are refused when the annotation spans lines. */
	if (f->end_line == f->start_line)
		bk_buf_printf(b, ",col=%" PRIu32 ",endLine=%" PRIu32
			      ",endColumn=%" PRIu32, col + 1, f->end_line + 1,
			      end_col + 1);
	else
		bk_buf_printf(b, ",endLine=%" PRIu32, f->end_line + 1);
	bk_buf_puts(b, ",title=");
	gh_escape(b, f->rule->id, 1);
	bk_buf_puts(b, "::");
	char *msg = long_message(f);
	gh_escape(b, msg, 0);
	free(msg);
	bk_buf_putc(b, '\n');
}

static int write_github(FILE *out, const struct bk_report *r)
{
	struct bk_buf b = BK_BUF_INIT;

	for (size_t i = 0; i < r->findings_nr; i++) {
		bk_buf_reset(&b);
		gh_finding(&b, &r->findings[i]);
		fwrite(b.ptr, 1, b.len, out);
	}
	bk_buf_release(&b);
	if (r->findings_not_shown)
		fprintf(out, "::warning title=bkgen::%zu more findings not reported "
			"(--max-findings, --max-findings-per-file)\n", r->findings_not_shown);
	return 0;
}

/* ---- sarif ---- */

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

struct sarif_rules {
	const struct bk_rule **v;
	size_t nr, alloc;
};

static const char *sarif_level(enum bk_severity s)
{
	return s == BK_SEV_ERROR ? "error" : s == BK_SEV_WARNING ? "warning"
								  : "note";
}

static size_t sarif_rule_index(struct sarif_rules *rs,
			       const struct bk_rule *rule)
{
	for (size_t i = 0; i < rs->nr; i++)
		if (rs->v[i] == rule)
			return i;
	BK_ALLOC_GROW(rs->v, rs->nr + 1, rs->alloc);
	rs->v[rs->nr] = rule;
	return rs->nr++;
}

/* Enabled rules in set order, then any other rule a finding names. */
static void sarif_collect_rules(struct sarif_rules *rs,
				const struct bk_ruleset *set,
				const struct bk_report *r)
{
	for (size_t i = 0; set && i < set->nr; i++)
		if (set->rules[i].enabled)
			sarif_rule_index(rs, &set->rules[i]);
	for (size_t i = 0; i < r->findings_nr; i++)
		sarif_rule_index(rs, r->findings[i].rule);
}

static char *pascal_case(const char *id)
{
	struct bk_buf b = BK_BUF_INIT;
	int upper = 1;

	for (; *id; id++) {
		unsigned char c = (unsigned char)*id;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9'))) {
			upper = 1;
			continue;
		}
		bk_buf_putc(&b, upper && c >= 'a' && c <= 'z' ? (char)(c - 32)
							       : (char)c);
		upper = 0;
	}
	return bk_buf_detach(&b);
}

static json_t *sarif_help(const struct bk_rule *rule)
{
	struct bk_buf text = BK_BUF_INIT, md = BK_BUF_INIT;
	const char *about = rule->rationale ? rule->rationale : rule->title;
	json_t *help;

	bk_buf_puts(&text, about ? about : rule->id);
	bk_buf_puts(&md, about ? about : rule->id);
	if (rule->fix) {
		bk_buf_printf(&text, "\n\nFix: %s", rule->fix);
		bk_buf_printf(&md, "\n\n**Fix:** %s", rule->fix);
	}
	if (rule->docs)
		bk_buf_printf(&md, "\n\n[Documentation](%s)", rule->docs);
	help = bk_json_ok(json_pack("{s:o,s:o}", "text", bk_json_str(text.ptr),
				    "markdown", bk_json_str(md.ptr)));
	bk_buf_release(&text);
	bk_buf_release(&md);
	return help;
}

static json_t *sarif_rule(const struct bk_rule *rule)
{
	char *name = pascal_case(rule->id);
	json_t *o = bk_json_ok(json_pack(
		"{s:o,s:o,s:{s:o}}", "id", bk_json_str(rule->id),
		"name", bk_json_str(name), "shortDescription", "text",
		bk_json_str(rule->title ? rule->title : rule->id)));

	free(name);
	if (rule->rationale)
		bk_json_set(o, "fullDescription", json_pack("{s:o}", "text",
			    bk_json_str(rule->rationale)));
	bk_json_set(o, "help", sarif_help(rule));
	if (rule->docs)
		bk_json_set(o, "helpUri", bk_json_str(rule->docs));
	bk_json_set(o, "defaultConfiguration",
		    json_pack("{s:s}", "level", sarif_level(rule->severity)));
	if (rule->category)
		bk_json_set(o, "properties", json_pack("{s:[o]}", "tags",
			    bk_json_str(rule->category)));
	return o;
}

/* RFC 3986: keep unreserved characters and '/', percent-encode the rest. */
static char *sarif_uri(const char *path)
{
	struct bk_buf b = BK_BUF_INIT;

	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (path[0] == '/')
		bk_buf_puts(&b, "file://");
	for (; *path; path++) {
		unsigned char c = (unsigned char)*path;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c))
			bk_buf_putc(&b, (char)c);
		else
			bk_buf_printf(&b, "%%%02X", c);
	}
	return bk_buf_detach(&b);
}

/* FNV-1a 64 of rule id, NUL, the line without whitespace, NUL. */
static uint64_t line_hash(const struct bk_finding *f)
{
	uint64_t h = 0xcbf29ce484222325ull;
	const char *parts[2] = { f->rule->id, f->line_text ? f->line_text : "" };

	for (int p = 0; p < 2; p++) {
		for (const char *s = parts[p]; *s; s++) {
			if (strchr(" \t\r\n\v\f", *s))
				continue;
			h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
		}
		h *= 0x100000001b3ull; /* the NUL separator */
	}
	return h;
}

struct fp_key {
	const char *path;
	uint64_t hash;
	size_t idx;
};

static int fp_key_cmp(const void *pa, const void *pb)
{
	const struct fp_key *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	if (!c)
		c = a->hash < b->hash ? -1 : a->hash > b->hash;
	if (!c)
		c = a->idx < b->idx ? -1 : a->idx > b->idx;
	return c;
}

/*
 * primaryLocationLineHash per finding: the line hash mixed with the
 * occurrence (1-based, in report order) of the same rule and line text in
 * the same file, then ":occurrence" as GitHub writes it. Returns an array
 * of r->findings_nr strings; the caller frees it with one free().
 */
static char (*sarif_fingerprints(const struct bk_report *r))[40]
{
	struct fp_key *keys = bk_xcalloc(r->findings_nr, sizeof(*keys));
	char (*out)[40] = bk_xcalloc(r->findings_nr, sizeof(*out));
	size_t occurrence = 0;
	char num[21]; /* SIZE_MAX has 20 digits */

	for (size_t i = 0; i < r->findings_nr; i++)
		keys[i] = (struct fp_key){ r->findings[i].path,
					   line_hash(&r->findings[i]), i };
	if (r->findings_nr)
		qsort(keys, r->findings_nr, sizeof(*keys), fp_key_cmp);
	for (size_t i = 0; i < r->findings_nr; i++) {
		uint64_t h = keys[i].hash;
		if (i && !strcmp(keys[i].path, keys[i - 1].path) &&
		    h == keys[i - 1].hash)
			occurrence++;
		else
			occurrence = 1;
		snprintf(num, sizeof(num), "%zu", occurrence);
		for (const char *d = num; *d; d++)
			h = (h ^ (unsigned char)*d) * 0x100000001b3ull;
		snprintf(out[keys[i].idx], sizeof(*out), "%016" PRIx64 ":%s",
			 h, num);
	}
	free(keys);
	return out;
}

static json_t *sarif_location(const struct bk_finding *f)
{
	char *uri = sarif_uri(f->path);
	uint32_t col, end_col;
	json_t *loc;

	bk_finding_utf16_cols(f, &col, &end_col);
	loc = bk_json_ok(json_pack(
		"{s:{s:{s:o},s:{s:I,s:I,s:I,s:I}}}", "physicalLocation",
		"artifactLocation", "uri", bk_json_str(uri), "region",
		"startLine", (json_int_t)f->start_line + 1,
		"startColumn", (json_int_t)col + 1,
		"endLine", (json_int_t)f->end_line + 1,
		"endColumn", (json_int_t)end_col + 1));
	free(uri);
	return loc;
}

static json_t *sarif_result(const struct bk_finding *f, size_t rule_index,
			    const char *fingerprint)
{
	char *msg = long_message(f);
	json_t *res = bk_json_ok(json_pack(
		"{s:o,s:I,s:s,s:{s:o},s:[o],s:{s:s}}",
		"ruleId", bk_json_str(f->rule->id),
		"ruleIndex", (json_int_t)rule_index,
		"level", sarif_level(f->severity),
		"message", "text", bk_json_str(msg),
		"locations", sarif_location(f),
		"partialFingerprints", "primaryLocationLineHash", fingerprint));
	free(msg);
	return res;
}

static json_t *sarif_driver(const struct sarif_rules *rs,
			    const struct bk_output_opts *opts)
{
	json_t *driver = bk_json_ok(json_object());
	json_t *rules = bk_json_ok(json_array());

	bk_json_set(driver, "name", bk_json_str(opts->tool_name ? opts->tool_name
								: "bkgen"));
	if (opts->tool_version)
		bk_json_set(driver, "version", bk_json_str(opts->tool_version));
	if (opts->information_uri)
		bk_json_set(driver, "informationUri",
			    bk_json_str(opts->information_uri));
	for (size_t i = 0; i < rs->nr; i++)
		bk_json_push(rules, sarif_rule(rs->v[i]));
	bk_json_set(driver, "rules", rules);
	return driver;
}

/* Findings a cap left out: a warning notification of the invocation. */
static void sarif_not_reported(json_t *run, size_t n)
{
	struct bk_buf msg = BK_BUF_INIT;
	json_t *inv = json_array_get(json_object_get(run, "invocations"), 0);

	bk_buf_printf(&msg, "%zu more findings not reported (--max-findings, "
		      "--max-findings-per-file)", n);
	bk_json_set(inv, "toolExecutionNotifications", bk_json_ok(json_pack(
		"[{s:s,s:{s:s}}]", "level", "warning", "message", "text", msg.ptr)));
	bk_buf_release(&msg);
}

static json_t *sarif_run(const struct bk_report *r,
			 const struct bk_ruleset *set,
			 const struct bk_output_opts *opts)
{
	struct sarif_rules rs = { NULL, 0, 0 };
	char (*fps)[40];
	json_t *run, *results = bk_json_ok(json_array());

	sarif_collect_rules(&rs, set, r);
	fps = sarif_fingerprints(r);
	for (size_t i = 0; i < r->findings_nr; i++) {
		const struct bk_finding *f = &r->findings[i];
		bk_json_push(results, sarif_result(f, sarif_rule_index(&rs, f->rule),
						   fps[i]));
	}
	run = bk_json_ok(json_pack(
		"{s:{s:o},s:[{s:b}],s:s,s:o}", "tool", "driver",
		sarif_driver(&rs, opts), "invocations", "executionSuccessful", 1,
		"columnKind", "utf16CodeUnits", "results", results));
	if (r->findings_not_shown)
		sarif_not_reported(run, r->findings_not_shown);
	free(fps);
	free(rs.v);
	return run;
}

static int write_sarif(FILE *out, const struct bk_report *r,
		       const struct bk_ruleset *set,
		       const struct bk_output_opts *opts)
{
	json_t *root = bk_json_ok(json_pack("{s:s,s:s,s:[o]}", "$schema",
		SARIF_SCHEMA, "version", "2.1.0", "runs", sarif_run(r, set, opts)));
	int ret = json_dumpf(root, out, JSON_INDENT(2));

	json_decref(root);
	if (!ret && fputc('\n', out) == EOF)
		ret = -1;
	return ret;
}

int bk_output_write(FILE *out, enum bk_format fmt, const struct bk_report *r,
		    const struct bk_ruleset *rules,
		    const struct bk_output_opts *opts)
{
	int ret = -1;

	switch (fmt) {
	case BK_FMT_TEXT:
		ret = bk_output_text(out, r, opts);
		break;
	case BK_FMT_JSON:
		ret = bk_output_json(out, r, opts);
		break;
	case BK_FMT_SARIF:
		ret = write_sarif(out, r, rules, opts);
		break;
	case BK_FMT_GITHUB:
		ret = write_github(out, r);
		break;
	}
	return ret || ferror(out) ? -1 : 0;
}
