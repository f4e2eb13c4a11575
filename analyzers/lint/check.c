#include "lint/check.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lint/engine-int.h"
#include "base/classify.h"
#include "base/util.h"

struct pool {
	struct bk_engine *e;
	const struct bk_file_list *files;
	const struct bk_check_opts *opts;
	atomic_size_t next;
	unsigned roles;           /* roles some enabled rule applies to */
	const char *cwd;          /* "" when unknown */
	struct role_root {        /* opts->role_roots as seen from the cwd */
		const char *s;
		size_t n;             /* without trailing '/' */
	} *roots;
};

struct job {
	struct pool *pool;
	struct bk_worker *w;
	struct bk_report report;
	uint64_t read_ns;
	struct bk_slow_file slowest[BK_SLOWEST_FILES];
	pthread_t thread;
};

/* Keep the slowest files, slowest first; path is borrowed. */
static void note_time(struct bk_slow_file *top, const char *path, uint64_t ns)
{
	int i = BK_SLOWEST_FILES;
	while (i > 0 && top[i - 1].ns < ns)
		i--;
	if (i == BK_SLOWEST_FILES)
		return;
	memmove(&top[i + 1], &top[i], (BK_SLOWEST_FILES - 1 - (size_t)i) * sizeof(*top));
	top[i].path = (char *)path;
	top[i].ns = ns;
}

/*
 * The file's code role: the caller's word (config `roles:`) first, else
 * classified from the path as seen from the cwd and the first lines.
 */
/* path as seen from the cwd: "./" and the cwd of absolute paths dropped. */
static const char *from_cwd(const struct pool *p, const char *path)
{
	size_t n = strlen(p->cwd);
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (path[0] == '/' && n > 1 && !strncmp(path, p->cwd, n) && path[n] == '/')
		path += n + 1;
	return path;
}

static enum bk_role file_role(const struct pool *p, const char *path,
			      const char *text, size_t len)
{
	int r = p->opts->role_of ? p->opts->role_of(path, p->opts->role_data) : -1;
	size_t best = 0;
	if (r >= 0)
		return (enum bk_role)r;
	path = from_cwd(p, path);
	for (size_t i = 0; i < p->opts->role_roots_nr; i++) {
		const struct role_root *root = &p->roots[i];
		if (root->n > best && !strncmp(path, root->s, root->n) && path[root->n] == '/')
			best = root->n + 1;
	}
	return bk_classify_role(path + best, text, len);
}

static void check_one(struct job *j, const char *path)
{
	struct pool *p = j->pool;
	int lang = bk_lang_for_path(path);
	struct stat st;
	struct bk_buf text = BK_BUF_INIT, d = BK_BUF_INIT;
	enum bk_skip_reason reason;
	char *detail;
	uint64_t t0 = bk_now_ns();

	const char *mem = NULL;
	size_t mem_len = 0;

	if (!bk_engine_has_lang(p->e, lang))
		return;
	if (p->opts->read && p->opts->read(&mem, &mem_len, path, p->opts->read_data)) {
		st.st_size = (off_t)mem_len;
	} else if (stat(path, &st)) {
		bk_buf_printf(&d, "%s", strerror(errno));
		bk_report_add_skip(&j->report, path, BK_SKIP_UNREADABLE, bk_buf_detach(&d), 1);
		goto out;
	}
	if (p->opts->max_size && (uint64_t)st.st_size > p->opts->max_size) {
		bk_buf_printf(&d, "%lld bytes, over the %llu-byte limit (max-file-size)",
			      (long long)st.st_size, (unsigned long long)p->opts->max_size);
		bk_report_add_skip(&j->report, path, BK_SKIP_OVERSIZED, bk_buf_detach(&d), 0);
		goto out;
	}
	if (mem) {
		bk_buf_add(&text, mem, mem_len);
	} else if (bk_read_regular(&text, path, p->opts->max_size, &d) < 0) {
		/* not a regular file (a FIFO named on the command line), or it grew */
		int big = errno == EFBIG;
		bk_report_add_skip(&j->report, path, big ? BK_SKIP_OVERSIZED : BK_SKIP_UNREADABLE,
				   bk_buf_detach(&d), !big);
		goto out;
	}
	j->read_ns += bk_now_ns() - t0;
	bk_classify_lone_cr(text.ptr, text.len);
	if (bk_classify_skip(path, text.ptr, text.len, &reason, &detail)) {
		bk_report_add_skip(&j->report, path, reason, detail, 0);
		goto out;
	}
	enum bk_role role = file_role(p, path, text.ptr, text.len);
	j->report.role_files[role]++;
	if (!(p->roles & BK_ROLE_BIT(role))) {
		j->report.role_unchecked[role]++;
		if (role == BK_ROLE_GENERATED || role == BK_ROLE_VENDORED)
			bk_report_add_skip(&j->report, path, role == BK_ROLE_GENERATED ?
					   BK_SKIP_GENERATED : BK_SKIP_VENDORED,
					   bk_xstrdup(role == BK_ROLE_GENERATED ?
						      "generated code (a generator's marker or file name)" :
						      "vendored code (a vendor directory or a library banner)"), 0);
		goto out;
	}
	t0 = bk_now_ns();
	int rc = bk_engine_check(j->w, path, lang, text.ptr, text.len, role, p->opts->flags,
				 &j->report);
	if (rc == BK_ETIMEOUT) {
		bk_buf_printf(&d, "checking it took longer than the %llu ms budget (--file-timeout)",
			      (unsigned long long)(p->opts->file_budget_ms ? p->opts->file_budget_ms
									   : BK_FILE_BUDGET_MS));
		bk_report_add_skip(&j->report, path, BK_SKIP_TIMEOUT, bk_buf_detach(&d), 1);
	} else if (rc == BK_ELIMIT) {
		bk_worker_failure(j->w, &d);
		bk_buf_puts(&d, "; a match may have been missed");
		bk_report_add_skip(&j->report, path, BK_SKIP_REGEX_LIMIT, bk_buf_detach(&d), 1);
	} else if (rc) {
		bk_report_add_skip(&j->report, path, BK_SKIP_PARSE_ERROR,
			 bk_xstrdup("the parser gave up"), 1);
	}
	note_time(j->slowest, path, bk_now_ns() - t0);
out:
	bk_buf_release(&text);
}

static void *worker_main(void *arg)
{
	struct job *j = arg;
	size_t i;
	while ((i = atomic_fetch_add(&j->pool->next, 1)) < j->pool->files->nr)
		check_one(j, j->pool->files->paths[i]);
	return NULL;
}

static int default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

static void collect_stats(struct bk_check_stats *s, struct job *jobs, int n,
			  size_t rules_nr)
{
	if (!s)
		return;
	s->rules_nr = rules_nr;
	s->rules = bk_xcalloc(rules_nr + 1, sizeof(*s->rules));
	for (int i = 0; i < n; i++)
		for (int k = 0; k < BK_SLOWEST_FILES && jobs[i].slowest[k].path; k++)
			note_time(s->slowest, jobs[i].slowest[k].path, jobs[i].slowest[k].ns);
	for (int k = 0; k < BK_SLOWEST_FILES && s->slowest[k].path; k++)
		s->slowest[k].path = bk_xstrdup(s->slowest[k].path);
	for (int i = 0; i < n; i++) {
		const struct bk_worker_stats *ws = bk_worker_stats(jobs[i].w);
		s->read_ns += jobs[i].read_ns;
		s->parse_ns += ws->parse_ns;
		s->query_ns += ws->query_ns;
		s->cond_ns += ws->cond_ns;
		s->regex_ns += ws->regex_ns;
		for (size_t r = 0; r < rules_nr; r++) {
			s->rules[r].matches += ws->rules[r].matches;
			s->rules[r].findings += ws->rules[r].findings;
			s->rules[r].cond_ns += ws->rules[r].cond_ns;
		}
	}
}

int bk_check_files(struct bk_report *out, struct bk_check_stats *stats,
		   struct bk_engine *e, const struct bk_file_list *files,
		   const struct bk_check_opts *opts, struct bk_err *err)
{
	char *cwd = getcwd(NULL, 0);
	struct pool pool = { e, files, opts, 0, bk_engine_roles(e), cwd ? cwd : "",
			     bk_xcalloc(opts->role_roots_nr + 1, sizeof(*pool.roots)) };
	int n = opts->jobs > 0 ? opts->jobs : default_jobs();
	struct job *jobs;
	uint64_t t0 = bk_now_ns();
	int rc;

	for (size_t i = 0; i < opts->role_roots_nr; i++) {
		struct role_root *r = &pool.roots[i];
		r->s = from_cwd(&pool, opts->role_roots[i]);
		r->n = strlen(r->s);
		while (r->n && r->s[r->n - 1] == '/')
			r->n--;
	}
	size_t *per_lang = bk_xcalloc(bk_langs_nr, sizeof(size_t));
	for (size_t i = 0; i < files->nr; i++) {
		int lang = bk_lang_for_path(files->paths[i]);
		if (lang >= 0)
			per_lang[lang]++;
	}
	for (size_t l = 0; l < bk_langs_nr; l++)
		if (per_lang[l] && (rc = bk_engine_prepare(e, (int)l, per_lang[l], err))) {
			free(per_lang);
			free(pool.roots);
			free(cwd);
			return rc;
		}
	free(per_lang);
	if ((size_t)n > files->nr)
		n = files->nr ? (int)files->nr : 1;
	jobs = bk_xcalloc((size_t)n, sizeof(*jobs));
	for (int i = 0; i < n; i++) {
		jobs[i].pool = &pool;
		jobs[i].w = bk_worker_new(e);
		if (opts->file_budget_ms)
			bk_worker_set_budget(jobs[i].w, opts->file_budget_ms);
		if (opts->max_findings_per_file)
			bk_worker_set_max_findings(jobs[i].w, opts->max_findings_per_file == SIZE_MAX
							      ? 0 : opts->max_findings_per_file);
	}
	int started = 1;
	while (started < n &&
	       !pthread_create(&jobs[started].thread, NULL, worker_main, &jobs[started]))
		started++; /* on failure, run with the threads we have */
	worker_main(&jobs[0]);
	for (int i = 1; i < started; i++)
		pthread_join(jobs[i].thread, NULL);
	collect_stats(stats, jobs, n, e->set->nr);
	for (int i = 0; i < n; i++) {
		bk_report_merge(out, &jobs[i].report);
		bk_report_release(&jobs[i].report);
		bk_worker_free(jobs[i].w);
	}
	free(jobs);
	free(pool.roots);
	free(cwd);
	bk_report_sort(out);
	if (stats) {
		stats->wall_ms = (double)(bk_now_ns() - t0) / 1e6;
		stats->compile_ms = bk_engine_compile_ms(e); /* includes lazy compiles */
	}
	return 0;
}
