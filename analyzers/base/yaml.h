/*
 * A read-only view of one YAML document, with positions. Wraps libyaml's
 * document API (anchors and aliases resolved); libyaml stays in yaml.c.
 * Nodes are small integer ids; 0 means "none".
 */
#ifndef BK_YAML_H
#define BK_YAML_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"

struct bk_ydoc;

enum bk_ykind { BK_Y_NONE, BK_Y_SCALAR, BK_Y_SEQ, BK_Y_MAP };

/*
 * Bounds on every YAML file bkgen reads (configuration, rules, template
 * manifests): beyond them libyaml would take minutes.
 */
#define BK_YAML_MAX_SIZE (1024 * 1024)
#define BK_YAML_MAX_DEPTH 64
#define BK_YAML_MAX_ANCHORS 1000
#define BK_YAML_STR_(x) #x
#define BK_YAML_STR(x) BK_YAML_STR_(x)

/*
 * Parse text (named path in messages); a file past the bounds above is an
 * error at the place it crosses one. An empty document has root 0.
 */
int bk_ydoc_load(struct bk_ydoc **out, const char *path, const char *text,
		 size_t len, struct bk_err *err);
void bk_ydoc_free(struct bk_ydoc *doc);

const char *bk_ydoc_path(const struct bk_ydoc *doc);
int bk_ydoc_root(const struct bk_ydoc *doc);
enum bk_ykind bk_ynode_kind(const struct bk_ydoc *doc, int node);
/* Scalar text (NUL-terminated), or NULL if node is not a scalar. */
const char *bk_ynode_scalar(const struct bk_ydoc *doc, int node);
/* Is it a plain (unquoted) scalar, as null/true/false must be? */
int bk_ynode_plain(const struct bk_ydoc *doc, int node);
/* Items of a sequence, pairs of a mapping. */
size_t bk_ynode_len(const struct bk_ydoc *doc, int node);
int bk_ynode_item(const struct bk_ydoc *doc, int seq, size_t i);
int bk_ynode_pair(const struct bk_ydoc *doc, int map, size_t i, int *key);
/* Value of key in a mapping, or 0. */
int bk_ynode_get(const struct bk_ydoc *doc, int map, const char *key);

/* 1-based position of the node. */
void bk_ynode_pos(const struct bk_ydoc *doc, int node, uint32_t *line,
		  uint32_t *col);
/* 1-based position in the file of byte `offset` of a scalar's text. */
void bk_ynode_text_pos(const struct bk_ydoc *doc, int node, size_t offset,
		       uint32_t *line, uint32_t *col);

/* Set err to "path:line:col: message" for node; returns BK_ECONFIG. */
int bk_yerr(struct bk_err *err, const struct bk_ydoc *doc, int node,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * map[key] as a new non-empty string in *out. Absent: an error when
 * required, else *out is left alone.
 */
int bk_yget_string(char **out, const struct bk_ydoc *doc, int map,
		   const char *key, int required, struct bk_err *err);
/* node, a string or a list of strings, appended to *out (what: its key). */
int bk_yget_strings(char ***out, size_t *nr, const struct bk_ydoc *doc,
		    int node, const char *what, struct bk_err *err);

/*
 * node, a role ("source", "test", ..., "all") or a list of them, as a mask
 * of BK_ROLE_BIT()s (base/classify.h) in *out; what names the key.
 */
int bk_yget_roles(unsigned *out, const struct bk_ydoc *doc, int node,
		  const char *what, struct bk_err *err);

/* Check every key of map is in allowed (NULL-ended); error names it. */
int bk_ymap_check_keys(const struct bk_ydoc *doc, int map,
		       const char *const *allowed, const char *what,
		       struct bk_err *err);

#endif
