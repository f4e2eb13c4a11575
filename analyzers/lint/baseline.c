#include "lint/baseline.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/outfile.h"
#include "base/util.h"

#define BASELINE_VERSION 1
/* About 400,000 findings: a larger file is not a baseline bkgen wrote. */
#define BASELINE_MAX_SIZE (64u * 1024 * 1024)

char *bk_baseline_normalize(const char *line)
{
	struct bk_buf b = BK_BUF_INIT;
	int space = 0;
	for (const char *p = line ? line : ""; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' ||
		    *p == '\v' || *p == '\f') {
			space = 1;
			continue;
		}
		if (space && b.len)
			bk_buf_putc(&b, ' ');
		space = 0;
		bk_buf_putc(&b, *p);
	}
	return bk_buf_detach(&b);
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct bk_baseline_entry *a = pa, *b = pb;
	int c = strcmp(a->rule, b->rule);
	if (!c)
		c = strcmp(a->path, b->path);
	if (!c)
		c = strcmp(a->line, b->line);
	return c;
}

/* Sort and merge equal keys, adding their counts. */
static void baseline_settle(struct bk_baseline *b)
{
	size_t keep = 0;
	if (b->nr)
		qsort(b->entries, b->nr, sizeof(*b->entries), cmp_entry);
	for (size_t i = 0; i < b->nr; i++) {
		if (keep && !cmp_entry(&b->entries[keep - 1], &b->entries[i])) {
			b->entries[keep - 1].count += b->entries[i].count;
			free(b->entries[i].rule);
			free(b->entries[i].path);
			free(b->entries[i].line);
		} else {
			b->entries[keep++] = b->entries[i];
		}
	}
	b->nr = keep;
}

static void baseline_add(struct bk_baseline *b, const char *rule, const char *path,
			 char *normalised, size_t count)
{
	BK_ALLOC_GROW(b->entries, b->nr + 1, b->alloc);
	struct bk_baseline_entry *e = &b->entries[b->nr++];
	e->rule = bk_xstrdup(rule);
	e->path = bk_xstrdup(path);
	e->line = normalised;
	e->count = count;
}

/*
 * JSON strings are UTF-8, file names need not be. A string that is not
 * UTF-8 is written as "KEY-hex" (its bytes, which loading prefers) next to
 * a readable "KEY" with '?' for every byte past ASCII.
 */
static void put_string(json_t *o, const char *key, const char *s)
{
	json_t *v = json_string(s);
	if (v) {
		json_object_set_new(o, key, v);
		return;
	}
	struct bk_buf readable = BK_BUF_INIT, hex = BK_BUF_INIT, hkey = BK_BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bk_buf_putc(&readable, *p < 0x80 ? (char)*p : '?');
		bk_buf_printf(&hex, "%02x", *p);
	}
	bk_buf_printf(&hkey, "%s-hex", key);
	json_object_set_new(o, key, json_string(readable.ptr));
	json_object_set_new(o, hkey.ptr, json_string(hex.ptr));
	bk_buf_release(&readable);
	bk_buf_release(&hex);
	bk_buf_release(&hkey);
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	     : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* o[KEY-hex] decoded, else o[KEY], as a new string; NULL if neither is good. */
static char *get_string(const json_t *o, const char *key)
{
	struct bk_buf hkey = BK_BUF_INIT, out = BK_BUF_INIT;
	const char *hex, *s;

	bk_buf_printf(&hkey, "%s-hex", key);
	hex = json_string_value(json_object_get(o, hkey.ptr));
	bk_buf_release(&hkey);
	if (!hex) {
		s = json_string_value(json_object_get(o, key));
		return s ? bk_xstrdup(s) : NULL;
	}
	for (; hex[0] && hex[1]; hex += 2) {
		int hi = hex_digit(hex[0]), lo = hex_digit(hex[1]);
		if (hi < 0 || lo < 0 || (!hi && !lo))
			break;
		bk_buf_putc(&out, (char)(hi << 4 | lo));
	}
	if (*hex || !out.len) {
		bk_buf_release(&out);
		return NULL;
	}
	return bk_buf_detach(&out);
}

int bk_baseline_load(struct bk_baseline *out, const char *path, struct bk_err *err)
{
	json_error_t je;
	json_t *root, *list, *item;
	struct bk_buf text = BK_BUF_INIT, why = BK_BUF_INIT;
	size_t i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (bk_read_regular(&text, path, BASELINE_MAX_SIZE, &why)) {
		rc = bk_err_set(err, BK_ECONFIG, "cannot read the baseline '%s': %s", path, why.ptr);
		bk_buf_release(&why);
		bk_buf_release(&text);
		return rc;
	}
	root = json_loadb(text.ptr, text.len, 0, &je);
	bk_buf_release(&text);
	if (!root)
		return bk_err_set(err, BK_ECONFIG, "%s:%d:%d: cannot read the baseline: %s",
				  path, je.line, je.column, je.text);
	json_t *v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != BASELINE_VERSION) {
		rc = bk_err_set(err, BK_ECONFIG, "%s: not a version %d bkgen baseline (write a new one with --write-baseline)",
				path, BASELINE_VERSION);
		goto out;
	}
	list = json_object_get(root, "findings");
	if (!json_is_array(list)) {
		rc = bk_err_set(err, BK_ECONFIG, "%s: the baseline has no \"findings\" list", path);
		goto out;
	}
	json_array_foreach(list, i, item) {
		const char *rule = json_string_value(json_object_get(item, "rule"));
		char *p = get_string(item, "path"), *line = get_string(item, "line");
		json_t *count = json_object_get(item, "count");
		if (!rule || !p || !line || (count && (!json_is_integer(count) ||
						       json_integer_value(count) < 1))) {
			rc = bk_err_set(err, BK_ECONFIG, "%s: baseline finding %zu needs string \"rule\", \"path\", \"line\" and a positive \"count\"",
					path, i + 1);
			free(p);
			free(line);
			goto out;
		}
		baseline_add(out, rule, p, bk_baseline_normalize(line),
			     count ? (size_t)json_integer_value(count) : 1);
		free(p);
		free(line);
	}
	baseline_settle(out);
out:
	json_decref(root);
	if (rc)
		bk_baseline_release(out);
	return rc;
}

void bk_baseline_from_report(struct bk_baseline *out, const struct bk_report *r)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < r->findings_nr; i++) {
		const struct bk_finding *f = &r->findings[i];
		baseline_add(out, f->rule->id, f->path, bk_baseline_normalize(f->line_text), 1);
	}
	baseline_settle(out);
}

int bk_baseline_write(const struct bk_baseline *b, const char *path, struct bk_err *err)
{
	struct bk_outfile of;
	json_t *root = json_object(), *list = json_array();
	int rc;

	json_object_set_new(root, "version", json_integer(BASELINE_VERSION));
	json_object_set_new(root, "tool", json_string("bkgen"));
	for (size_t i = 0; i < b->nr; i++) {
		const struct bk_baseline_entry *e = &b->entries[i];
		json_t *o = json_object();
		put_string(o, "rule", e->rule);
		put_string(o, "path", e->path);
		put_string(o, "line", e->line);
		json_object_set_new(o, "count", json_integer((json_int_t)e->count));
		json_array_append_new(list, o);
	}
	json_object_set_new(root, "findings", list);
	if (!(rc = bk_outfile_open(&of, path, err))) {
		if (json_dumpf(root, of.fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
		    fputc('\n', of.fp) == EOF) {
			rc = bk_err_set(err, BK_EIO, "cannot write '%s': %s", path, strerror(errno));
			bk_outfile_abort(&of);
		} else {
			rc = bk_outfile_commit(&of, err);
		}
	}
	json_decref(root);
	return rc;
}

void bk_baseline_filter(struct bk_baseline *b, struct bk_report *r)
{
	size_t keep = 0;
	for (size_t i = 0; i < r->findings_nr; i++) {
		struct bk_finding *f = &r->findings[i];
		struct bk_baseline_entry key = { (char *)f->rule->id, f->path,
						 bk_baseline_normalize(f->line_text), 0 };
		struct bk_baseline_entry *e = b->nr ? bsearch(&key, b->entries, b->nr,
							     sizeof(*b->entries), cmp_entry) : NULL;
		free(key.line);
		if (e && e->count) {
			e->count--;
			bk_finding_release(f);
		} else {
			r->findings[keep++] = *f;
		}
	}
	r->findings_nr = keep;
}

void bk_baseline_release(struct bk_baseline *b)
{
	for (size_t i = 0; i < b->nr; i++) {
		free(b->entries[i].rule);
		free(b->entries[i].path);
		free(b->entries[i].line);
	}
	free(b->entries);
	memset(b, 0, sizeof(*b));
}
