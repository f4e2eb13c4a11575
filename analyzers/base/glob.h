#ifndef BK_GLOB_H
#define BK_GLOB_H

/*
 * Glob match on '/'-separated relative paths: '*' and '?' stay within one
 * segment, '**' spans segments, '[...]' and '[!...]' classes; a pattern
 * without '/' matches the basename at any depth (as in .gitignore), a
 * leading '/' or "./" anchors it at the start. A pattern ending in '/'
 * matches a directory and everything under it. A path ending in '/' is a
 * directory.
 */
int bk_glob_match(const char *pattern, const char *path);

#endif
