/*
 * What a file is before any rule sees it: content not worth checking
 * (binary, invalid UTF-8, minified) is skipped with a reason, and every
 * other file gets a code role from its path and its first lines.
 */
#include "base/classify.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include "base/util.h"

#define MINIFIED_AVG_LINE 500
#define MINIFIED_MIN_SIZE 4096

/* Offset of the first invalid UTF-8 sequence, or len. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
		else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
		else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
		else return i;
		if (i + n >= len)
			return i; /* truncated sequence */
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return len;
}

static int looks_minified(const char *path, const char *text, size_t len)
{
	size_t lines = 1;
	const char *base = strrchr(path, '/');
	if (strstr(base ? base + 1 : path, ".min."))
		return 1;
	if (len < MINIFIED_MIN_SIZE)
		return 0;
	for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + len - p))); p++)
		lines++;
	return len / lines > MINIFIED_AVG_LINE;
}

static void line_col(const char *text, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

void bk_classify_lone_cr(char *text, size_t len)
{
	for (char *p = text; (p = memchr(p, '\r', (size_t)(text + len - p))); p++)
		if (p + 1 == text + len || p[1] != '\n')
			*p = '\n';
}

int bk_classify_skip(const char *path, const char *text, size_t len,
		      enum bk_skip_reason *reason, char **detail)
{
	size_t bad, line, col;
	struct bk_buf d = BK_BUF_INIT;

	*detail = NULL;
	if (memchr(text, '\0', len)) {
		*reason = BK_SKIP_BINARY;
		*detail = bk_xstrdup("contains NUL bytes");
		return 1;
	}
	if ((bad = utf8_invalid_at((const unsigned char *)text, len)) < len) {
		line_col(text, bad, &line, &col);
		bk_buf_printf(&d, "invalid UTF-8 at %zu:%zu", line, col);
		*reason = BK_SKIP_INVALID_UTF8;
		*detail = bk_buf_detach(&d);
		return 1;
	}
	if (looks_minified(path, text, len)) {
		*reason = BK_SKIP_MINIFIED;
		*detail = bk_xstrdup("very long lines");
		return 1;
	}
	return 0;
}

/*
 * One row per role, tried in this order (the first that matches wins):
 * directory names (any directory of the path, case-insensitive) and file
 * names (the last segment, case-sensitive), as fnmatch patterns.
 */
struct role_row {
	enum bk_role role;
	const char *const *dirs;
	const char *const *names;
};

#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct role_row role_rows[] = {
	{ BK_ROLE_VENDORED,
	  LIST("vendor", "vendors", "third_party", "third-party", "thirdparty",
	       "node_modules", "bower_components", "jspm_packages"),
	  NULL },
	{ BK_ROLE_GENERATED,
	  LIST("generated", "__generated__"),
	  LIST("*.pb.go", "*.pb.gw.go", "*_pb2.py", "*_pb2_grpc.py", "*_pb2.pyi",
	       "*.pb.cc", "*.pb.h", "*.pb-c.c", "*.gen.*", "*_gen.go", "*.generated.*",
	       "*_generated.*", "zz_generated*", "*.g.cs", "*.g.i.cs", "*.Designer.cs",
	       "*_grpc.pb.go") },
	{ BK_ROLE_MIGRATION,
	  LIST("*migrations", "migration", "migrate", "alembic", "flyway"),
	  NULL },
	{ BK_ROLE_SEED,
	  LIST("seed", "seeds", "seeders", "seeding", "seed-data", "seed_data",
	       "fixtures", "fixture", "__fixtures__", "testdata", "test-data",
	       "test_data", "mock-data", "mock_data"),
	  LIST("seed", "seed.*", "seed_*", "seed-*", "seeds.*", "*_seed.*",
	       "*-seed.*", "*.seed.*", "*[Ss]eeder*", "*SeedData*", "*seed_data*",
	       "*seed-data*", "DbInitializer*", "*DataSeed*", "*Seed.*") },
	{ BK_ROLE_TEST,
	  LIST("test", "tests", "*_tests", "*-tests", "__tests__", "__test__", "spec", "specs", "e2e",
	       "testing", "testutil", "testutils", "test-utils", "test_utils",
	       "testhelpers", "benches", "benchmarks", "__mocks__", "mocks",
	       "cypress", "playwright", "*.tests", "*.test", "*.unittests",
	       "*.integrationtests", "*.functionaltests", "*.specs", "*.testing"),
	  LIST("*_test.go", "test_*.py", "*_test.py", "tests.py", "conftest.py",
	       "*.test.*", "*.spec.*", "*_spec.*", "*.e2e.*", "*Tests.cs",
	       "*Test.cs", "*Spec.cs", "test_*.c", "*_test.c", "*_tests.c",
	       "test-*.js", "test-*.ts", "*_test.rs", "*_tests.rs", "test.rs",
	       "tests.rs", "*.cy.*") },
	{ BK_ROLE_EXAMPLE,
	  LIST("example", "examples", "_examples", "sample", "samples", "demo",
	       "demos", "doc", "docs", "documentation", "tutorial", "tutorials"),
	  NULL },
};

static int match_any(const char *const *pats, const char *s, int flags)
{
	for (size_t i = 0; pats && pats[i]; i++)
		if (!fnmatch(pats[i], s, flags))
			return 1;
	return 0;
}

/* The role the path alone says, or BK_ROLE_SOURCE. */
static enum bk_role role_of_path(const char *path)
{
	char seg[256];
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t r = 0; r < sizeof(role_rows) / sizeof(role_rows[0]); r++) {
		const struct role_row *row = &role_rows[r];
		for (const char *p = path; p < base;) {
			size_t n = strcspn(p, "/");
			if (n && n < sizeof(seg)) {
				memcpy(seg, p, n);
				seg[n] = '\0';
				if (match_any(row->dirs, seg, FNM_CASEFOLD))
					return row->role;
			}
			p += n + 1;
		}
		if (match_any(row->names, base, 0))
			return row->role;
	}
	return BK_ROLE_SOURCE;
}

static int has_ci(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (!strncasecmp(s + i, needle, k))
			return 1;
	return 0;
}

/* Does the line (after indentation) start like a comment? */
static int comment_line(const char *q, size_t m)
{
	static const char *const leaders[] = { "#", "*", ";", "//", "/*", "--",
					       "\"\"\"", "'''", "<!--", "{-" };
	for (size_t i = 0; i < sizeof(leaders) / sizeof(leaders[0]); i++) {
		size_t k = strlen(leaders[i]);
		if (m >= k && !memcmp(q, leaders[i], k))
			return 1;
	}
	return 0;
}

/* A comment line that says its file is generated. */
static int banner(const char *q, size_t m)
{
	static const char *const starts[] = {
		"generated by", "generated from", "generated with", "auto-generated",
		"autogenerated", "automatically generated", "this file was generated",
		"this file is generated", "this file was automatically generated",
		"this file is automatically generated", "this code was generated",
		"this file is auto-generated", "this file was auto-generated",
	};
	while (m && (ispunct((unsigned char)*q) || isspace((unsigned char)*q))) {
		q++;   /* the comment leader and what decorates it */
		m--;
	}
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if (m >= strlen(starts[i]) && !strncasecmp(q, starts[i], strlen(starts[i])))
			return 1;
	return has_ci(q, m, "do not edit") || has_ci(q, m, "do not modify");
}

/*
 * A generator's banner: "Code generated ... DO NOT EDIT" (Go's
 * convention), "@generated", "<auto-generated>" anywhere near the top, or
 * a comment of the first lines that starts "Generated by X" (Django
 * migrations, protoc, sqlc, OpenAPI generators, ...), "auto-generated",
 * "This file was generated", ... or says "do not edit".
 */
static int looks_generated(const char *text, size_t len)
{
	size_t head = len < 2048 ? len : 2048;
	const char *p = text, *end = text + head;
	if (memmem(text, head, "@generated", 10) || memmem(text, head, "<auto-generated", 15) ||
	    (memmem(text, head, "Code generated", 14) && memmem(text, head, "DO NOT EDIT", 11)))
		return 1;
	for (int line = 0; line < 12 && p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q = p, *e = nl ? nl : end;
		while (q < e && isspace((unsigned char)*q))
			q++;
		size_t m = (size_t)(e - q);
		if (comment_line(q, m) && banner(q, m))
			return 1;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

/*
 * A JavaScript library copied into a project: a preserved license banner
 * (a comment opened with slash-star-bang first, or "@license" near the
 * top), as libraries and bundlers write them.
 */
static int looks_vendored(const char *path, const char *text, size_t len)
{
	const char *dot = strrchr(path, '.');
	if (!dot || (strcmp(dot, ".js") && strcmp(dot, ".mjs") && strcmp(dot, ".cjs")))
		return 0;
	size_t i = 0, head = len < 1024 ? len : 1024;
	while (i < head && isspace((unsigned char)text[i]))
		i++;
	return (head - i >= 3 && !memcmp(text + i, "/*!", 3)) ||
	       memmem(text, head, "@license", 8) != NULL;
}

static const char *const script_exts[] = {
	".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", NULL
};

/* Directories that hold what a browser loads. */
static const char *const *const browser_dirs = LIST(
	"ui", "frontend", "front-end", "webapp", "web-app", "www", "static", "public",
	"assets", "html", "browser", "wwwroot", "webui", "web-ui", "spa");

/* Front-end frameworks, as imported: "from 'react'", require("vue"). */
static const char *const browser_imports[] = {
	"'react'", "\"react\"", "'react-dom", "\"react-dom", "'vue'", "\"vue\"",
	"'@angular/", "\"@angular/", "'svelte", "\"svelte", "'preact", "\"preact",
	"'react-router", "\"react-router", "'mobx-react", "\"mobx-react", NULL
};

/*
 * Does text use the page's globals? Only members a server-side variable of
 * the same name would not have (a rate limiter's `window.count`, a
 * database `document.save()` are server code).
 */
static int uses_browser_global(const char *text, size_t len)
{
	static const char *const globals[] = {
		"window.location", "window.addEventListener", "window.document",
		"window.history", "window.localStorage", "window.navigator", "window.open(",
		"window.innerWidth", "window.scrollTo", "window.matchMedia",
		"document.getElementById", "document.querySelector", "document.createElement",
		"document.cookie", "document.addEventListener",
		"document.documentElement", "localStorage.", "sessionStorage.",
		"navigator.clipboard", "navigator.userAgent", "navigator.language", NULL
	};
	for (size_t g = 0; globals[g]; g++) {
		size_t k = strlen(globals[g]);
		for (const char *p = text, *end = text + len;
		     (p = memmem(p, (size_t)(end - p), globals[g], k)); p += k)
			if (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' ||
					   p[-1] == '.' || p[-1] == '$'))
				return 1;
	}
	return 0;
}

/*
 * Code that runs in a browser: under a front-end directory, a .jsx/.tsx
 * component, or a script that imports a front-end framework or uses the
 * page's globals. Its calls go to its own backend through the browser,
 * which is not what the backend rules are about.
 */
static int looks_browser(const char *path, const char *text, size_t len)
{
	const char *dot = strrchr(path, '.'), *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (!dot || dot < base || !match_any(script_exts, dot, 0))
		return 0;
	if (!strcmp(dot, ".jsx") || !strcmp(dot, ".tsx"))
		return 1;
	char seg[256];
	for (const char *p = path; p < base;) {
		size_t n = strcspn(p, "/");
		if (n && n < sizeof(seg)) {
			memcpy(seg, p, n);
			seg[n] = '\0';
			if (match_any(browser_dirs, seg, FNM_CASEFOLD))
				return 1;
		}
		p += n + 1;
	}
	if (!text)
		return 0;
	for (size_t i = 0; browser_imports[i]; i++)
		if (memmem(text, len, browser_imports[i], strlen(browser_imports[i])))
			return 1;
	return uses_browser_global(text, len);
}

enum bk_role bk_classify_role(const char *path, const char *text, size_t len)
{
	enum bk_role r = role_of_path(path);
	if (r != BK_ROLE_SOURCE && r != BK_ROLE_EXAMPLE)
		return r;
	if (text && looks_vendored(path, text, len))
		return BK_ROLE_VENDORED;
	if (text && looks_generated(text, len))
		return BK_ROLE_GENERATED;
	if (r == BK_ROLE_SOURCE && looks_browser(path, text, len))
		return BK_ROLE_BROWSER;
	return r;
}
