/*
 * Gitignore-like globs on '/'-separated relative paths. Matching works on
 * (start, end) ranges so that no path or pattern is ever copied: '*', '?'
 * and '[...]' match within one segment, a whole "**" segment matches any
 * number of segments. A path ending in '/' names a directory, which only
 * matters for patterns ending in '/' ("dir/" matches dir and everything
 * under it).
 */
#include "base/glob.h"

#include <stdlib.h>
#include <string.h>
#include "base/util.h"

static const char *seg_end(const char *s, const char *end)
{
	const char *slash = memchr(s, '/', (size_t)(end - s));
	return slash ? slash : end;
}

static const char *seg_next(const char *seg_end_pos, const char *end)
{
	return seg_end_pos < end ? seg_end_pos + 1 : end;
}

/*
 * One "[...]" class; p points just after '['. Returns 1 or 0 for a match
 * and sets *after past the ']', or -1 when the class is not closed (then
 * '[' is an ordinary character).
 */
static int glob_class(const char *p, const char *pe, unsigned char c,
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
static int glob_char(const char *p, const char *pe, char c, const char **next)
{
	*next = p + 1;
	if (*p == '?')
		return 1;
	if (*p == '\\' && p + 1 < pe) {
		*next = p + 2;
		return p[1] == c;
	}
	if (*p == '[') {
		int r = glob_class(p + 1, pe, (unsigned char)c, next);
		if (r >= 0)
			return r;
		*next = p + 1;
	}
	return *p == c;
}

/* One segment, with the usual single-star backtracking. */
static int glob_segment(const char *p, const char *pe, const char *s,
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
		if (p < pe && glob_char(p, pe, *s, &next)) {
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

static int is_double_star(const char *p, const char *pn)
{
	return pn - p == 2 && p[0] == '*' && p[1] == '*';
}

/* The '/'-separated segments of [s, e), as (start, end) pairs. */
struct segs {
	const char **v;   /* v[2k], v[2k + 1] */
	size_t nr;
};

/* As the walk over segments always went: a final '/' ends the last one. */
static void segs_split(struct segs *out, const char *s, const char *e)
{
	size_t n = 1;
	for (const char *p = s; p < e; p++)
		n += *p == '/';
	out->v = bk_xmalloc(2 * n * sizeof(*out->v));
	out->nr = 0;
	while (s < e) {
		const char *end = seg_end(s, e);
		out->v[2 * out->nr] = s;
		out->v[2 * out->nr + 1] = end;
		out->nr++;
		s = seg_next(end, e);
	}
}

/*
 * Whole segments, pattern [p, pe) against path [s, se). Row i of the
 * table says which prefixes of the path the first i pattern segments
 * match: a "**" segment matches zero or more path segments (one or more
 * when it ends the pattern), others one. Time is pattern segments times
 * path segments times one segment match, however many "**" there are;
 * the backtracking this replaces was exponential in them. With
 * any_prefix, does the pattern match some directory prefix of the path?
 */
static int glob_segments_table(const char *p, const char *pe, const char *s,
			       const char *se, int any_prefix)
{
	struct segs ps, ss;
	unsigned char *prev, *row;
	int hit = 0;

	segs_split(&ps, p, pe);
	segs_split(&ss, s, se);
	prev = bk_xcalloc(ss.nr + 1, 1);
	row = bk_xcalloc(ss.nr + 1, 1);
	prev[0] = 1;
	for (size_t i = 1; i <= ps.nr; i++) {
		const char *sp = ps.v[2 * (i - 1)], *spe = ps.v[2 * (i - 1) + 1];
		int stars = is_double_star(sp, spe), last = i == ps.nr;
		row[0] = stars && !last && prev[0];
		for (size_t j = 1; j <= ss.nr; j++) {
			if (stars)
				row[j] = (!last && prev[j]) || prev[j - 1] || row[j - 1];
			else
				row[j] = prev[j - 1] &&
					 glob_segment(sp, spe, ss.v[2 * (j - 1)], ss.v[2 * (j - 1) + 1]);
		}
		unsigned char *t = prev;
		prev = row;
		row = t;
	}
	if (!any_prefix)
		hit = prev[ss.nr];
	/* a prefix ending in an empty segment ("a//") is the one before it */
	for (size_t j = 1; any_prefix && j <= ss.nr && !hit; j++)
		hit = prev[ss.v[2 * (j - 1)] == ss.v[2 * (j - 1) + 1] ? j - 1 : j];
	free(prev);
	free(row);
	free(ps.v);
	free(ss.v);
	return hit;
}

/* "dir/" patterns: does any directory on the path match? */
static int glob_dir_only(const char *p, const char *pe, int anchored,
			 const char *s, const char *dirs_end)
{
	const char *seg = s;
	if (anchored)
		return glob_segments_table(p, pe, s, dirs_end, 1);
	while (seg < dirs_end) {
		const char *sn = seg_end(seg, dirs_end);
		if (glob_segment(p, pe, seg, sn))
			return 1;
		seg = seg_next(sn, dirs_end);
	}
	return 0;
}

int bk_glob_match(const char *pattern, const char *path)
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
		return glob_dir_only(p, pe, anchored, s,
				     path_is_dir ? se : base);
	if (anchored)
		return glob_segments_table(p, pe, s, se, 0);
	return glob_segment(p, pe, base, se);
}
