/*
 * Output writers for findings: text, json, sarif, github. Shared by every
 * command that reports diagnostics (check, explain, probe).
 */
#ifndef BK_OUTPUT_H
#define BK_OUTPUT_H

#include <stdio.h>
#include "base/report.h"
#include "base/rule.h"

enum bk_format { BK_FMT_TEXT, BK_FMT_JSON, BK_FMT_SARIF, BK_FMT_GITHUB };

/* Returns 0 and sets *out, or -1 for an unknown name. */
int bk_format_parse(enum bk_format *out, const char *name);
extern const char *const bk_format_names[]; /* NULL-terminated */

struct bk_output_opts {
	int color;            /* text: ANSI colour */
	int show_source;      /* text: source line and caret */
	int show_fixes;       /* text: the rule's fix under every finding, not once at the end */
	int show_skips;       /* text: one line per skipped file (skip_stream) */
	const char *tool_name;    /* "bkgen" */
	const char *tool_version;
	const char *command;      /* "check", "explain", "probe" */
	const char *information_uri; /* sarif: tool.driver.informationUri, or NULL */
	FILE *skip_stream;        /* text: where skip lines go; NULL is stderr */
};

/*
 * Write the report. rules is the set the run used (sarif lists every
 * enabled rule in tool.driver.rules). Returns 0, or -1 on a write error.
 */
int bk_output_write(FILE *out, enum bk_format fmt, const struct bk_report *r,
		    const struct bk_ruleset *rules,
		    const struct bk_output_opts *opts);

/* UTF-16 code units in the first `bytes` bytes of a UTF-8 line (LSP). */
uint32_t bk_utf16_column(const char *line, uint32_t bytes);

/*
 * Shared by the writers (output.c, output-text.c, output-json.c); not for
 * commands.
 */

/* Code points in the first `bytes` bytes of a UTF-8 line. */
uint32_t bk_codepoint_column(const char *line, uint32_t bytes);
/*
 * Decode one UTF-8 sequence of at most n (> 0) bytes into *cp. Returns its
 * length; an invalid or truncated sequence gives 1 and U+FFFD.
 */
size_t bk_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* A finding's 0-based start and end columns in UTF-16 code units. */
void bk_finding_utf16_cols(const struct bk_finding *f, uint32_t *start,
			   uint32_t *end);
/* Findings per severity, indexed by enum bk_severity. */
void bk_output_count(const struct bk_report *r, size_t counts[3]);

int bk_output_text(FILE *out, const struct bk_report *r,
		   const struct bk_output_opts *opts);
int bk_output_json(FILE *out, const struct bk_report *r,
		   const struct bk_output_opts *opts);

/* jansson helpers (output-json.c); out of memory is fatal (bk_xmalloc). */
struct json_t;
/* A JSON string (invalid UTF-8 bytes become U+FFFD), or null for NULL. */
struct json_t *bk_json_str(const char *s);
void bk_json_set(struct json_t *obj, const char *key, struct json_t *val);
void bk_json_push(struct json_t *arr, struct json_t *val);
/* Checks a json_pack() result. */
struct json_t *bk_json_ok(struct json_t *val);

#endif
