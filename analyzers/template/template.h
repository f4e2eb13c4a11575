/*
 * Project templates for `bkgen new`. A template is a runnable project in
 * templates/<lang>/ plus a template.yml manifest; rendering replaces the
 * project's source name (every case form) in contents and paths and keeps
 * or drops the comment-marked option blocks. No other magic.
 *
 *   manifest.c     template.yml loading and validation
 *   search-path.c  where templates are found (--template-dir, $BKGEN_TEMPLATE_PATH, ...)
 *   copy.c         `replace:` option values and `include:` shared files
 *   answers.c      option values from --set, checked, and .bkgen/answers.yml
 *   render.c       case forms, replacement, option blocks, the file plan
 *   write.c        writing the tree atomically into place
 *   git-init.c     the first commit and refs/bkgen/pristine (libgit2)
 *
 * Ownership: structs filled by *_load/_init/_plan are released with the
 * matching _release; returned const pointers are borrowed from the parent.
 *
 * template.yml (keys are kebab-case, unknown keys are errors):
 *   name: c-service                  required, shown by --list
 *   language: c                      required
 *   summary: one line                required
 *   source-name: acme-payments       required, two or more words
 *   version: 1.0.0                   required
 *   options:                         optional, in prompt order
 *     docker: {type: bool, default: true, help: add a Dockerfile}
 *     port: {type: int, default: 8080, min: 1, max: 65535,
 *            replace: [{file: src/config.c, text: 'PORT", "8080"'}]}
 *     db: {type: choice, choices: [postgres, sqlite], default: postgres}
 *     owner: {type: string, pattern: '[a-z][a-z0-9-]*'}   no default: required
 *   files:                           conditional files (every match must hold)
 *     - {path: Dockerfile, when: docker}        when: OPT, !OPT or OPT=VALUE
 *     - {path: deploy/, when: '!db=sqlite'}
 *   verbatim: ['*.png', Cargo.lock] copied without replacement (paths renamed)
 *   exclude: [build/]                not part of the template
 *   include:                         files shared by the templates
 *     - {from: ../openapi.yaml, to: openapi.yaml}
 *   next-steps: |                    printed after a render, name replaced
 *     cd acme-payments && make test
 * Globs are bk_glob_match's (base/glob.h), on paths relative to the template.
 * In files, `bkgen:if COND` / `bkgen:endif` as the first thing in a comment
 * line (after //, #, --, ;, %, <!--, {#, slash-star or {{slash-star) keep or
 * drop the lines between them; the marker lines themselves go.
 */
#ifndef BK_TEMPLATE_H
#define BK_TEMPLATE_H

#include <signal.h>
#include <stddef.h>
#include "base/err.h"
#include "base/util.h"

#define BK_TEMPLATE_MANIFEST "template.yml"
#define BK_ANSWERS_FILE ".bkgen/answers.yml"
#define BK_PRISTINE_REF "refs/bkgen/pristine"

enum bk_topt_type { BK_TOPT_STRING, BK_TOPT_BOOL, BK_TOPT_INT, BK_TOPT_CHOICE };

struct bk_regex;

struct bk_topt {
	char *name;
	enum bk_topt_type type;
	char *help;
	char *def;               /* canonical text ("true", "8080"); NULL: required */
	char *pattern;           /* string: the whole value must match */
	struct bk_regex *re;     /* pattern, anchored */
	long long min, max;      /* int: inclusive range */
	char **choices;          /* choice: the allowed values */
	size_t choices_nr;
	struct bk_treplace *replace;   /* where the value goes in the files */
	size_t replace_nr;
};

/*
 * `replace:` of an option: text occurs exactly once in file (relative to
 * the template) and holds the option's default, which a render replaces by
 * the chosen value. The template stays runnable: the default is real code.
 */
struct bk_treplace {
	char *file;
	char *text;
};

/* `include:`: a file shared by the templates (from, relative to the
 * template, must stay inside the directory holding the templates). */
struct bk_tinclude {
	char *from;
	char *to;
};

/* A condition, as in `when:` and `bkgen:if`: OPT, !OPT or OPT=VALUE. */
struct bk_tcond {
	size_t opt;              /* index into bk_template.opts */
	char *value;             /* NULL: truthiness of the option */
	int negate;
};

/* `files:` entry: paths matching glob are rendered only when `when` holds. */
struct bk_tfile_rule {
	char *glob;
	struct bk_tcond when;
};

struct bk_template {
	char *dir;               /* the template's root directory */
	char *manifest;          /* dir/template.yml, as named in messages */
	char *name, *language, *summary, *source_name, *version, *next_steps;
	struct bk_topt *opts;
	size_t opts_nr;
	struct bk_tfile_rule *files;
	size_t files_nr;
	char **verbatim;         /* globs: copied without any replacement */
	size_t verbatim_nr;
	char **exclude;          /* globs: not part of the template at all */
	size_t exclude_nr;
	struct bk_tinclude *include;
	size_t include_nr;
};

/* Load dir/template.yml. Errors are BK_ECONFIG with file:line:col. */
int bk_template_load(struct bk_template *out, const char *dir, struct bk_err *err);
/* Parse manifest text as if read from path (for tests). */
int bk_template_parse(struct bk_template *out, const char *dir, const char *path,
		      const char *text, size_t len, struct bk_err *err);
void bk_template_release(struct bk_template *t);
/* Index of the option called name, or -1. */
int bk_template_option(const struct bk_template *t, const char *name);
/* Parse "OPT", "!OPT" or "OPT=VALUE"; BK_ECONFIG without a location. */
int bk_tcond_parse(struct bk_tcond *out, const struct bk_template *t,
		   const char *text, size_t len, struct bk_err *err);
void bk_tcond_release(struct bk_tcond *c);

/* copy.c: `replace:` of option o and the top-level `include:`. */
struct bk_ydoc;
struct bk_answers;
int bk_template_parse_replace(struct bk_topt *o, const struct bk_template *t,
			      const struct bk_ydoc *doc, int node, struct bk_err *err);
int bk_template_parse_include(struct bk_template *t, const struct bk_ydoc *doc,
			      int node, struct bk_err *err);
void bk_template_copy_release(struct bk_template *t);
/* Write the chosen values into text (of template file src) as `replace:` says. */
void bk_template_apply_replace(struct bk_buf *out, const struct bk_template *t,
			       const struct bk_answers *a, const char *src,
			       const char *text, size_t len);

/* Validate a value for o; *out gets the canonical text ("yes" -> "true"). */
int bk_topt_check(char **out, const struct bk_topt *o, const char *value,
		  struct bk_err *err);
const char *bk_topt_type_name(enum bk_topt_type type);

/* A project name: ^[a-z][a-z0-9-]{0,62}$. BK_EUSAGE with the reason. */
int bk_name_check(const char *name, struct bk_err *err);

/* What the user chose: the project name and one value per option. */
struct bk_answers {
	char *name;
	char **values;           /* parallel to t->opts; NULL: not given yet */
	size_t nr;
};

void bk_answers_init(struct bk_answers *a, const struct bk_template *t);
void bk_answers_release(struct bk_answers *a);
/* Check value and set option opt; the error names the option. */
int bk_answers_set(struct bk_answers *a, const struct bk_template *t,
		   size_t opt, const char *value, struct bk_err *err);
/* Fill unset options from their defaults; required ones stay NULL. */
void bk_answers_defaults(struct bk_answers *a, const struct bk_template *t);
/* Does cond hold for these answers? */
int bk_tcond_eval(const struct bk_tcond *c, const struct bk_template *t,
		  const struct bk_answers *a);
/* The .bkgen/answers.yml text. */
void bk_answers_yaml(struct bk_buf *out, const struct bk_template *t,
		     const struct bk_answers *a);

/*
 * Where templates are looked for, first hit wins: template_dir (may be
 * NULL), each entry of $BKGEN_TEMPLATE_PATH, templates/ of the source tree
 * the binary runs from, BK_DATADIR/templates.
 */
struct bk_tpath {
	char **dirs;
	size_t nr;
};

void bk_tpath_init(struct bk_tpath *p, const char *template_dir);
void bk_tpath_release(struct bk_tpath *p);
/*
 * The directory of lang's template into *out, or *out = NULL when no
 * directory has one. A lang that is not a plain word is BK_EUSAGE.
 */
int bk_tpath_find(char **out, const struct bk_tpath *p, const char *lang,
		  struct bk_err *err);
/* Every language with a template, sorted, each with its directory. */
struct bk_tlist {
	char **langs, **dirs;
	size_t nr;
};
void bk_tpath_list(struct bk_tlist *out, const struct bk_tpath *p);
void bk_tlist_release(struct bk_tlist *l);

/* ---- render.c ---- */

enum bk_case {
	BK_CASE_KEBAB,   /* acme-payments */
	BK_CASE_SNAKE,   /* acme_payments */
	BK_CASE_CAMEL,   /* acmePayments */
	BK_CASE_PASCAL,  /* AcmePayments */
	BK_CASE_UPPER,   /* ACME_PAYMENTS */
	BK_CASE_FLAT,    /* acmepayments */
	BK_CASE_NR
};

/* The case forms of a kebab-case name; free each with bk_case_forms_release. */
void bk_case_forms(char *out[BK_CASE_NR], const char *kebab);
void bk_case_forms_release(char *forms[BK_CASE_NR]);

/* Replaces every case form of one name by the same form of another. */
struct bk_renamer {
	char *from[BK_CASE_NR], *to[BK_CASE_NR];
	int order[BK_CASE_NR];   /* distinct forms, longest first */
	size_t nr;
};

void bk_renamer_init(struct bk_renamer *r, const char *from, const char *to);
void bk_renamer_release(struct bk_renamer *r);
void bk_renamer_apply(const struct bk_renamer *r, struct bk_buf *out,
		      const char *text, size_t len);

/*
 * Keep or drop the lines between `bkgen:if COND` and `bkgen:endif` marker
 * comments; marker lines are removed. Unbalanced markers and unknown
 * options are BK_ECONFIG errors naming path:line.
 */
int bk_render_blocks(struct bk_buf *out, const char *path, const char *text,
		     size_t len, const struct bk_template *t,
		     const struct bk_answers *a, struct bk_err *err);

struct bk_render_file {
	char *src;               /* relative to the template dir */
	char *dst;               /* relative to the target, renamed */
	int verbatim;
	int executable;
};

struct bk_render_plan {
	struct bk_render_file *files;   /* sorted by dst */
	size_t nr, alloc;
};

/*
 * The files the answers select, with their output paths. Not template
 * files: template.yml, .git, `exclude:` globs, and what git ignores when
 * the template sits in a work tree. Symbolic links and special files in
 * the template are refused (BK_ECONFIG), as is an output path that would
 * leave the target or collide with another.
 */
int bk_render_plan(struct bk_render_plan *out, const struct bk_template *t,
		   const struct bk_answers *a, struct bk_err *err);
void bk_render_plan_release(struct bk_render_plan *p);
/* The rendered contents of one planned file. */
int bk_render_contents(struct bk_buf *out, const struct bk_template *t,
		       const struct bk_answers *a, const struct bk_renamer *r,
		       const struct bk_render_file *f, struct bk_err *err);
/* Is rel a safe relative path (no "..", ".", empty segment, leading '/')? */
int bk_path_is_safe(const char *rel);

/* ---- write.c ---- */

struct bk_new_opts {
	const char *target;      /* the project directory to create */
	int force;               /* render over a non-empty target */
	int no_git;
	volatile sig_atomic_t *cancel;   /* set by a signal handler; may be NULL */
};

struct bk_new_result {
	size_t files;            /* written, answers file included */
	size_t overwritten;      /* existing files replaced (--force) */
	char commit[41];         /* "" with --no-git */
	int fallback_identity;   /* no git identity: committed as bkgen */
	int existing_repo;       /* target was a repository: only the ref moved */
};

/* Is the directory missing or empty? 1 yes, 0 no, -1 not a directory. */
int bk_dir_is_empty(const char *path);

/*
 * Render into a temporary sibling of the target and move it into place.
 * On any error (or *cancel) the temporary directory is removed and the
 * target is as it was. Template problems are BK_ECONFIG, a non-empty
 * target without force BK_EUSAGE, I/O and git failures BK_EIO.
 */
int bk_new_render(struct bk_new_result *res, const struct bk_template *t,
		  const struct bk_answers *a, const struct bk_new_opts *o,
		  struct bk_err *err);

/* ---- git-init.c ---- */

struct bk_git_result {
	char commit[41];
	int fallback_identity;
};

/*
 * Make dir a new repository whose first commit holds paths (relative to
 * dir, all of them regular files there), and point refs/bkgen/pristine at
 * it. A missing identity falls back to "bkgen <bkgen@localhost>".
 */
int bk_gitinit_commit(struct bk_git_result *res, const char *dir,
		      char *const *paths, size_t nr, const char *message,
		      struct bk_err *err);
/*
 * For an existing repository at repo_dir: store the files of render_dir as
 * a parentless commit reachable only from refs/bkgen/pristine. HEAD, the
 * index and the work tree are not touched.
 */
int bk_gitinit_pristine(struct bk_git_result *res, const char *repo_dir,
			const char *render_dir, char *const *paths, size_t nr,
			const char *message, struct bk_err *err);

#endif
