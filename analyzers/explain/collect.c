/*
 * What bkgen explain needs before it plans anything: its rule set, the
 * SQL of every file, and (for the throwaway cluster) the project's
 * migrations in the order they apply.
 */
#include "explain/explain.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/classify.h"
#include "explain/plan.h"
#include "base/util.h"

/* A bk_rule from a row of bk_plan_rules, its limits filled in. */
static void add_rule(struct bk_ruleset *set, const struct bk_plan_rule *p)
{
	struct bk_rule *r;
	struct bk_buf title = BK_BUF_INIT, threshold = BK_BUF_INIT, docs = BK_BUF_INIT;

	BK_ALLOC_GROW(set->rules, set->nr + 1, set->alloc);
	r = &set->rules[set->nr++];
	memset(r, 0, sizeof(*r));
	bk_plan_rule_text(&title, p, p->title);
	r->id = bk_xstrdup(p->id);
	r->message = bk_xstrdup(title.ptr);
	r->title = bk_buf_detach(&title);
	r->category = bk_xstrdup("database");
	bk_plan_rule_text(&threshold, p, p->threshold);
	bk_plan_rule_text(&docs, p, p->rationale);
	bk_buf_printf(&docs, "\n\nThreshold: %s.", threshold.ptr);
	r->rationale = bk_buf_detach(&docs);
	r->threshold = bk_buf_detach(&threshold);
	r->fix = p->fix ? bk_xstrdup(p->fix) : NULL;
	r->severity = p->severity;
	r->enabled = 1;
	r->path = bk_xstrdup("builtin:explain");
}

void bk_explain_ruleset(struct bk_ruleset *set)
{
	for (const struct bk_plan_rule *p = bk_plan_rules; p->id; p++)
		add_rule(set, p);
}

int bk_explain_rule_known(const char *id)
{
	for (const struct bk_plan_rule *p = bk_plan_rules; p->id; p++)
		if (!strcmp(p->id, id))
			return 1;
	return 0;
}

int bk_explain_collect(struct bk_sql_list *out, const struct bk_file_list *files,
		       uint64_t max_size, uint64_t budget_ms, struct bk_report *report,
		       struct bk_err *err)
{
	struct bk_buf text = BK_BUF_INIT;
	enum bk_skip_reason reason;
	char *detail;
	struct stat st;
	int rc = 0;

	for (size_t i = 0; i < files->nr && !rc; i++) {
		const char *path = files->paths[i];
		bk_buf_reset(&text);
		if (!stat(path, &st) && (uint64_t)st.st_size > max_size) {
			struct bk_buf d = BK_BUF_INIT;
			bk_buf_printf(&d, "%lld bytes, over the %llu-byte limit (max-file-size)",
				      (long long)st.st_size, (unsigned long long)max_size);
			bk_report_add_skip(report, path, BK_SKIP_OVERSIZED, bk_buf_detach(&d), 0);
			continue;
		}
		struct bk_buf why = BK_BUF_INIT;
		if (bk_read_regular(&text, path, max_size, &why)) {
			int big = errno == EFBIG;
			bk_report_add_skip(report, path, big ? BK_SKIP_OVERSIZED : BK_SKIP_UNREADABLE,
					   bk_buf_detach(&why), !big);
			continue;
		}
		/* Binary, minified, generated and vendored files are check's skips too. */
		bk_classify_lone_cr(text.ptr, text.len);
		if (bk_classify_skip(path, text.ptr, text.len, &reason, &detail)) {
			bk_report_add_skip(report, path, reason, detail, 0);
			continue;
		}
		enum bk_role role = bk_classify_role(path, text.ptr, text.len);
		if (role == BK_ROLE_GENERATED || role == BK_ROLE_VENDORED) {
			bk_report_add_skip(report, path, role == BK_ROLE_GENERATED ?
					   BK_SKIP_GENERATED : BK_SKIP_VENDORED,
					   bk_xstrdup(bk_role_name(role)), 0);
			continue;
		}
		report->files_scanned++;
		report->bytes_scanned += text.len;
		rc = bk_sql_extract(out, path, text.ptr, text.len, budget_ms, err);
		if (rc == BK_ETIMEOUT) {
			struct bk_buf d = BK_BUF_INIT;
			bk_buf_printf(&d, "extracting its SQL took longer than the %llu ms budget "
				      "(--file-timeout)", (unsigned long long)budget_ms);
			bk_report_add_skip(report, path, BK_SKIP_TIMEOUT, bk_buf_detach(&d), 1);
			rc = 0;
		}
	}
	bk_buf_release(&text);
	return rc;
}

/* ---- migrations ---- */

struct paths {
	char **v;
	size_t nr, alloc;
};

static void paths_add(struct paths *p, const char *path)
{
	for (size_t i = 0; i < p->nr; i++)
		if (!strcmp(p->v[i], path))
			return;
	BK_ALLOC_GROW(p->v, p->nr + 1, p->alloc);
	p->v[p->nr++] = bk_xstrdup(path);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* A down (rollback) migration: golang-migrate, diesel, dbmate-style names. */
static int is_down(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return ends_with(path, ".down.sql") || !strcmp(base, "down.sql") ||
	       strstr(base, "_down.sql") || strstr(base, "-down.sql");
}

static int natural_cmp(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.sql file under dir (recursively), appended unsorted. */
static void scan_dir(struct paths *out, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d || depth > 4) {
		if (d)
			closedir(d);
		return;
	}
	while ((e = readdir(d))) {
		struct bk_buf p = BK_BUF_INIT;
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		bk_buf_printf(&p, "%s/%s", dir, e->d_name);
		if (!stat(p.ptr, &st) && S_ISDIR(st.st_mode))
			scan_dir(out, p.ptr, depth + 1);
		else if (ends_with(e->d_name, ".sql") && !is_down(p.ptr))
			paths_add(out, p.ptr);
		bk_buf_release(&p);
	}
	closedir(d);
}

static int add_spec(struct paths *out, const char *spec, struct bk_err *err)
{
	struct stat st;
	glob_t g;
	size_t before = out->nr;

	if (!stat(spec, &st)) {
		if (S_ISDIR(st.st_mode))
			scan_dir(out, spec, 0);
		else
			paths_add(out, spec);
	} else if (!glob(spec, 0, NULL, &g)) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			if (!is_down(g.gl_pathv[i]))
				paths_add(out, g.gl_pathv[i]);
		globfree(&g);
	} else {
		return bk_err_set(err, BK_EUSAGE, "migrations '%s': no such file, directory or match", spec);
	}
	if (out->nr > before)
		qsort(out->v + before, out->nr - before, sizeof(char *), natural_cmp);
	return 0;
}

static const char *const common_layouts[] = {
	"migrations", "db/migrations", "db/migrate", "database/migrations",
	"sql/migrations", "drizzle", "alembic/sql", "prisma/migrations",
	"supabase/migrations", NULL,
};

int bk_explain_find_migrations(char ***out, size_t *nr, const char *const *specs,
			       size_t specs_nr, const char *root, char **searched,
			       struct bk_err *err)
{
	struct paths p = { 0 };
	struct bk_buf where = BK_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < specs_nr && !rc; i++)
		rc = add_spec(&p, specs[i], err);
	for (size_t i = 0; !specs_nr && common_layouts[i] && !p.nr; i++) {
		struct bk_buf dir = BK_BUF_INIT;
		struct stat st;
		bk_buf_printf(&dir, "%s/%s", root && *root ? root : ".", common_layouts[i]);
		bk_buf_printf(&where, "%s%s/", where.len ? ", " : "", dir.ptr);
		if (!stat(dir.ptr, &st) && S_ISDIR(st.st_mode))
			rc = add_spec(&p, dir.ptr, err);
		bk_buf_release(&dir);
	}
	*out = p.v;
	*nr = p.nr;
	if (searched)
		*searched = bk_buf_detach(&where);
	else
		bk_buf_release(&where);
	return rc;
}
