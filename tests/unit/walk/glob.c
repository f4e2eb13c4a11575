/*
 * bk_glob_match: gitignore-like globs on relative paths.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "base/glob.h"

#define MATCH(pat, path) \
	cr_expect(bk_glob_match(pat, path), "'%s' should match '%s'", pat, path)
#define NO_MATCH(pat, path) \
	cr_expect(!bk_glob_match(pat, path), "'%s' should not match '%s'", \
		  pat, path)

Test(glob, literal_pattern_matches_only_itself)
{
	MATCH("a.js", "a.js");
	NO_MATCH("a.js", "b.js");
	NO_MATCH("a.js", "a.jsx");
	NO_MATCH("a.js", "xa.js");
}

Test(glob, pattern_without_slash_matches_basename_at_any_depth)
{
	MATCH("*.js", "a.js");
	MATCH("*.js", "src/lib/a.js");
	MATCH("a.js", "src/a.js");
	NO_MATCH("src", "src/a.js");
	NO_MATCH("*.js", "a.js.map");
}

Test(glob, star_stays_within_one_segment)
{
	MATCH("src/*.js", "src/a.js");
	NO_MATCH("src/*.js", "src/lib/a.js");
	NO_MATCH("src/*.js", "other/src/a.js");
	MATCH("s*c/a.js", "src/a.js");
	NO_MATCH("s*/a.js", "src/lib/a.js");
}

Test(glob, star_matches_dotfiles_and_empty)
{
	MATCH("*", ".env");
	MATCH("a*.js", "a.js");
	MATCH("*a*b*", "xxaxxbxx");
	NO_MATCH("*a*b*", "xxbxxaxx");
}

Test(glob, question_mark_matches_one_character)
{
	MATCH("?.js", "a.js");
	NO_MATCH("?.js", "ab.js");
	NO_MATCH("?.js", ".js");
	NO_MATCH("a?b", "a/b");
}

Test(glob, bracket_classes_and_ranges)
{
	MATCH("[abc].js", "b.js");
	NO_MATCH("[abc].js", "d.js");
	MATCH("[a-c].js", "c.js");
	NO_MATCH("[a-c].js", "d.js");
	MATCH("[!a].js", "b.js");
	NO_MATCH("[!a].js", "a.js");
	MATCH("[^a].js", "b.js");
	MATCH("[]].js", "].js");
	MATCH("[a-].js", "-.js");
	MATCH("f[0-9][0-9].c", "f42.c");
	NO_MATCH("a[/]b", "a/b");
}

Test(glob, unclosed_bracket_is_literal)
{
	MATCH("[a.js", "[a.js");
	NO_MATCH("[a.js", "a.js");
}

Test(glob, backslash_escapes_a_special_character)
{
	MATCH("\\*.js", "*.js");
	NO_MATCH("\\*.js", "a.js");
	MATCH("\\[a].js", "[a].js");
}

Test(glob, leading_double_star_matches_at_any_depth)
{
	MATCH("**/x.js", "x.js");
	MATCH("**/x.js", "a/x.js");
	MATCH("**/x.js", "a/b/x.js");
	NO_MATCH("**/x.js", "a/bx.js");
	MATCH("**/gen/*.js", "a/gen/x.js");
}

Test(glob, trailing_double_star_matches_everything_inside)
{
	MATCH("x/**", "x/a");
	MATCH("x/**", "x/a/b.js");
	NO_MATCH("x/**", "x");
	NO_MATCH("x/**", "y/x/a");
	MATCH("**", "anything/at/all");
}

Test(glob, middle_double_star_matches_zero_or_more_segments)
{
	MATCH("a/**/b", "a/b");
	MATCH("a/**/b", "a/x/b");
	MATCH("a/**/b", "a/x/y/b");
	NO_MATCH("a/**/b", "a/xb");
	NO_MATCH("a/**/b", "a/x/b/c");
	MATCH("src/**/*.test.js", "src/a/b/c.test.js");
}

Test(glob, double_star_inside_a_segment_is_a_star)
{
	MATCH("a**b", "axxb");
	NO_MATCH("a**b", "ax/xb");
}

Test(glob, leading_slash_or_dot_slash_anchors_at_the_root)
{
	MATCH("/a.js", "a.js");
	NO_MATCH("/a.js", "src/a.js");
	MATCH("./a.js", "a.js");
	NO_MATCH("./a.js", "src/a.js");
	MATCH("./src/*.js", "src/a.js");
}

Test(glob, trailing_slash_matches_directory_and_everything_under_it)
{
	MATCH("build/", "build/a.js");
	MATCH("build/", "build/x/y/a.js");
	MATCH("build/", "src/build/a.js");
	MATCH("build/", "build/");
	NO_MATCH("build/", "build");
	NO_MATCH("build/", "buildx/a.js");
	MATCH("src/gen/", "src/gen/a.js");
	NO_MATCH("src/gen/", "other/src/gen/a.js");
	MATCH("*-cache/", "a/.x-cache/b");
}

Test(glob, path_with_trailing_slash_is_a_directory)
{
	MATCH("vendor", "src/vendor/");
	MATCH("src/*", "src/lib/");
	MATCH("**/node_modules", "a/node_modules/");
}

Test(glob, path_leading_dot_slash_is_ignored)
{
	MATCH("src/*.js", "./src/a.js");
	MATCH("*.js", "./a.js");
}

Test(glob, empty_pattern_or_path_matches_nothing)
{
	NO_MATCH("", "a.js");
	NO_MATCH("/", "a.js");
	NO_MATCH("*", "");
}

/* ---- against a reference ---- */

/*
 * The matcher as it was before "**" got its table: recursion that tries
 * every split, exponential in the number of "**" but plainly right. The
 * table must agree with it everywhere.
 */
static const char *ref_seg_end(const char *s, const char *end)
{
	const char *slash = memchr(s, '/', (size_t)(end - s));
	return slash ? slash : end;
}

static const char *ref_seg_next(const char *seg_end_pos, const char *end)
{
	return seg_end_pos < end ? seg_end_pos + 1 : end;
}

/*
 * One "[...]" class; p points just after '['. Returns 1 or 0 for a match
 * and sets *after past the ']', or -1 when the class is not closed (then
 * '[' is an ordinary character).
 */
static int ref_glob_class(const char *p, const char *pe, unsigned char c,
		      const char **after)
{
	int negate = 0, hit = 0;
	if (p < pe && (*p == '!' || *p == '^')) {
		negate = 1;
		p++;
	}
	const char *first = p;
	while (p < pe && (*p != ']' || p == first)) {
		unsigned char lo = (unsigned char)*p++, hi;
		if (lo == '\\' && p < pe)
			lo = (unsigned char)*p++;
		hi = lo;
		if (p + 1 < pe && *p == '-' && p[1] != ']') {
			hi = (unsigned char)p[1];
			p += 2;
			if (hi == '\\' && p < pe)
				hi = (unsigned char)*p++;
		}
		if (c >= lo && c <= hi)
			hit = 1;
	}
	if (p >= pe)
		return -1;
	*after = p + 1;
	return hit != negate;
}

/* One pattern character (not '*') against c; sets *next past it. */
static int ref_glob_char(const char *p, const char *pe, char c, const char **next)
{
	*next = p + 1;
	if (*p == '?')
		return 1;
	if (*p == '\\' && p + 1 < pe) {
		*next = p + 2;
		return p[1] == c;
	}
	if (*p == '[') {
		int r = ref_glob_class(p + 1, pe, (unsigned char)c, next);
		if (r >= 0)
			return r;
		*next = p + 1;
	}
	return *p == c;
}

/* One segment, with the usual single-star backtracking. */
static int ref_glob_segment(const char *p, const char *pe, const char *s,
			const char *se)
{
	const char *star_p = NULL, *star_s = NULL, *next;
	while (s < se) {
		if (p < pe && *p == '*') {
			while (p < pe && *p == '*')
				p++;
			star_p = p;
			star_s = s;
			continue;
		}
		if (p < pe && ref_glob_char(p, pe, *s, &next)) {
			p = next;
			s++;
			continue;
		}
		if (!star_p)
			return 0;
		p = star_p;
		s = ++star_s;
	}
	while (p < pe && *p == '*')
		p++;
	return p == pe;
}

static int ref_is_double_star(const char *p, const char *pn)
{
	return pn - p == 2 && p[0] == '*' && p[1] == '*';
}

/* Whole segments: pattern [p, pe) against path [s, se). */
static int ref_glob_segments(const char *p, const char *pe, const char *s,
			 const char *se)
{
	while (p < pe) {
		const char *pn = ref_seg_end(p, pe);
		if (ref_is_double_star(p, pn)) {
			const char *rest = ref_seg_next(pn, pe);
			if (rest == pe)         /* trailing "**": one or more */
				return s < se;
			for (;;) {              /* zero or more segments */
				if (ref_glob_segments(rest, pe, s, se))
					return 1;
				if (s >= se)
					return 0;
				s = ref_seg_next(ref_seg_end(s, se), se);
			}
		}
		if (s >= se)
			return 0;
		const char *sn = ref_seg_end(s, se);
		if (!ref_glob_segment(p, pn, s, sn))
			return 0;
		p = ref_seg_next(pn, pe);
		s = ref_seg_next(sn, se);
	}
	return s >= se;
}

/* "dir/" patterns: does any directory on the path match? */
static int ref_glob_dir_only(const char *p, const char *pe, int anchored,
			 const char *s, const char *dirs_end)
{
	const char *seg = s;
	while (seg < dirs_end) {
		const char *sn = ref_seg_end(seg, dirs_end);
		if (anchored ? ref_glob_segments(p, pe, s, sn)
			     : ref_glob_segment(p, pe, seg, sn))
			return 1;
		seg = ref_seg_next(sn, dirs_end);
	}
	return 0;
}

static int ref_glob_match(const char *pattern, const char *path)
{
	const char *p = pattern, *s = path;
	int anchored = 0, dir_only = 0, path_is_dir = 0;

	while (p[0] == '.' && p[1] == '/')
		p += 2, anchored = 1;
	while (*p == '/')
		p++, anchored = 1;
	const char *pe = p + strlen(p);
	while (pe > p && pe[-1] == '/')
		pe--, dir_only = 1;
	if (p == pe)
		return 0;
	if (memchr(p, '/', (size_t)(pe - p)))
		anchored = 1;

	while (s[0] == '.' && s[1] == '/')
		s += 2;
	while (*s == '/')
		s++;
	const char *se = s + strlen(s);
	while (se > s && se[-1] == '/')
		se--, path_is_dir = 1;
	if (s == se)
		return 0;

	const char *base = se;
	while (base > s && base[-1] != '/')
		base--;
	if (dir_only)
		return ref_glob_dir_only(p, pe, anchored, s,
				     path_is_dir ? se : base);
	if (anchored)
		return ref_glob_segments(p, pe, s, se);
	return ref_glob_segment(p, pe, base, se);
}

struct rng {
	unsigned state;
};

static unsigned pick(struct rng *r, unsigned n)
{
	r->state = r->state * 1103515245u + 12345u;
	return (r->state >> 16) % n;
}

static void random_pattern(struct rng *r, char *out, size_t n)
{
	static const char *const pieces[] = { "a", "b", "*", "?", "**", "[ab]", "[!a]",
		"a*", "*b", "**", "", "\\*" };
	static const char *const starts[] = { "", "", "", "/", "./" };
	size_t len = 0;
	len += (size_t)snprintf(out + len, n - len, "%s", starts[pick(r, 5)]);
	for (unsigned k = 1 + pick(r, 6); k > 0 && len < n; k--) {
		unsigned m = 1 + pick(r, 2);
		while (m-- && len < n)
			len += (size_t)snprintf(out + len, n - len, "%s", pieces[pick(r, 12)]);
		if (k > 1 && len < n)
			len += (size_t)snprintf(out + len, n - len, "/");
	}
	if (!pick(r, 4) && len < n)
		snprintf(out + len, n - len, "/");
}

static void random_path(struct rng *r, char *out, size_t n)
{
	static const char *const segs[] = { "a", "b", "ab", "ba", "aab", "*", "" };
	size_t len = 0;
	for (unsigned k = 1 + pick(r, 7); k > 0 && len < n; k--)
		len += (size_t)snprintf(out + len, n - len, "%s%s", segs[pick(r, 7)],
					k > 1 ? "/" : "");
	if (!pick(r, 4) && len < n)
		snprintf(out + len, n - len, "/");
}

Test(glob, agrees_with_the_reference_on_random_patterns)
{
	struct rng r = { 12345 };
	char pat[128], path[128];
	size_t matched = 0;

	for (int i = 0; i < 200000; i++) {
		random_pattern(&r, pat, sizeof(pat));
		random_path(&r, path, sizeof(path));
		int want = ref_glob_match(pat, path);
		cr_assert_eq(bk_glob_match(pat, path), want, "'%s' against '%s': want %d",
			     pat, path, want);
		matched += want;
	}
	cr_assert_gt(matched, 10000, "too few matches to prove much: %zu", matched);
}

Test(glob, many_double_stars_stay_fast)
{
	/* the recursion took minutes here; a pass of the table is instant */
	const char *pat = "*/**/*/**/**/*/**/*/**/*/**/**/*/**/*/**/*/**/x/y/";
	char path[256];
	size_t len = 0;
	for (int i = 0; i < 60; i++)
		len += (size_t)snprintf(path + len, sizeof(path) - len, "a/");
	snprintf(path + len, sizeof(path) - len, "z.js");
	NO_MATCH(pat, path);
	MATCH("**/**/**/**/**/**/**/**/**/**/**/**/z.js", path);
	NO_MATCH("**/**/**/**/**/**/**/**/**/**/**/**/b/**/z.js", path);
}
