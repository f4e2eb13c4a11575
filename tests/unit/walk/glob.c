/*
 * bk_glob_match: gitignore-like globs on relative paths.
 */
#include <criterion/criterion.h>

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
