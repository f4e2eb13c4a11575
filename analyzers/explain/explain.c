/*
 * Planning the statements: connect (or start a throwaway cluster and apply
 * the migrations), then for each statement PREPARE-validate and EXPLAIN it
 * through the plugin, look up the statistics of the tables its plan reads
 * (cached), judge the plan, and turn each plan finding into a finding on
 * the line of code that holds the SQL. Catalog checks (foreign keys with
 * no index, tables never analysed) are reported once per table, on the
 * first statement that reads it, so every finding points at code.
 *
 * A statement the server refuses is a finding (sql-error); a connection
 * that goes away is a runtime error (exit 3), never a partial report.
 */
#include "explain/explain.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <strings.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "explain/plugin-load.h"
#include "explain/pgtmp.h"
#include "explain/plan.h"
#include "base/util.h"

struct rel_entry {
	char *key;                  /* as bk_plan_relations names it */
	struct bk_rel_stats stats;
	int known;                  /* found in the catalog */
	const struct bk_sql_stmt *first; /* first statement reading it */
};

struct run {
	const struct bk_explain_opts *o;
	const struct bk_ruleset *rules;
	struct bk_report *report;
	struct bk_explain_stats *st;
	struct bk_db_plugin plugin;
	const struct bk_db_vtable *vt;
	struct bk_db *db;
	struct bk_pgtmp tmp;
	int throwaway;
	int seqscan_set_off;        /* the user's settings penalise seq scans */
	struct rel_entry *rels;
	size_t rels_nr, rels_alloc;
};

static void progress(const struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void progress(const struct run *r, const char *fmt, ...)
{
	struct bk_buf b = BK_BUF_INIT;
	va_list ap;

	if (!r->o->progress)
		return;
	va_start(ap, fmt);
	bk_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	r->o->progress(r->o->progress_ctx, b.ptr);
	bk_buf_release(&b);
}

/* "message (SQLSTATE x)" plus detail and hint on their own lines. */
static void db_error_text(struct bk_buf *b, const struct bk_db_error *e)
{
	bk_buf_puts(b, *e->message ? e->message : "unknown error");
	if (*e->sqlstate)
		bk_buf_printf(b, " (SQLSTATE %s)", e->sqlstate);
}

/* ---- findings ---- */

static const struct bk_rule *rule_for(const struct run *r, const char *id)
{
	const struct bk_rule *rule = bk_ruleset_find(r->rules, id);
	return rule && rule->enabled ? rule : NULL;
}

/* The statement on one line, squeezed, at most max bytes (UTF-8 safe). */
static void sql_excerpt(struct bk_buf *b, const char *sql, size_t max)
{
	size_t start = b->len;
	int space = 0;

	for (const char *p = sql; *p; p++) {
		if (isspace((unsigned char)*p)) {
			space = b->len > start;
			continue;
		}
		if (space)
			bk_buf_putc(b, ' ');
		space = 0;
		if (b->len - start >= max && ((unsigned char)*p & 0xc0) != 0x80) {
			bk_buf_puts(b, "...");
			return;
		}
		bk_buf_putc(b, *p);
	}
}

static void add_finding(struct run *r, const struct bk_sql_stmt *s, const struct bk_rule *rule,
			char *message, char *detail, char *fix)
{
	struct bk_report *rep = r->report;
	struct bk_finding *f = bk_report_add_finding(rep, rule, s->path);
	f->start_line = s->line;
	f->start_col = s->col;
	/* One line of range: the SQL may span many; the start is what matters. */
	f->end_line = s->line;
	f->end_col = s->end_line == s->line ? s->end_col : s->col + 1;
	if (s->end_line == s->line && s->line_text && f->end_col > strlen(s->line_text))
		f->end_col = (uint32_t)strlen(s->line_text);
	f->start_byte = s->start_byte;
	f->end_byte = s->end_byte;
	f->message = message;
	f->detail = detail;
	f->fix = fix;
	f->line_text = bk_xstrdup(s->line_text ? s->line_text : "");
	f->end_line_text = bk_xstrdup(f->line_text);
}

static char *query_detail(const struct bk_sql_stmt *s, const char *extra_key, const char *extra)
{
	struct bk_buf b = BK_BUF_INIT;

	bk_buf_puts(&b, "query: ");
	sql_excerpt(&b, s->sql ? s->sql : "", 240);
	if (extra && *extra)
		bk_buf_printf(&b, "\n%s %s", extra_key, extra);
	return bk_buf_detach(&b);
}

static void report_dynamic(struct run *r, const struct bk_sql_stmt *s)
{
	const struct bk_rule *rule = rule_for(r, BK_EXPLAIN_RULE_DYNAMIC);
	struct bk_buf m = BK_BUF_INIT;

	r->st->dynamic++;
	if (!rule)
		return;
	bk_buf_printf(&m, "dynamic SQL, not explained: %s", s->why ? s->why : "built at run time");
	add_finding(r, s, rule, bk_buf_detach(&m), NULL, NULL);
}

/* Byte offset of the 1-based character position in s. */
static size_t char_offset(const char *s, int position)
{
	size_t at = 0;

	for (int chars = 1; s[at] && chars < position; chars++) {
		at++;
		while (((unsigned char)s[at] & 0xc0) == 0x80)
			at++;
	}
	return at;
}

/* The text around a 1-based character position of the statement. */
static void error_near(struct bk_buf *b, const char *sql, int position)
{
	bk_buf_puts(b, "\nnear: ");
	sql_excerpt(b, sql + char_offset(sql, position), 60);
}

static void report_error(struct run *r, const struct bk_sql_stmt *s, const struct bk_db_error *e)
{
	const struct bk_rule *rule = rule_for(r, BK_EXPLAIN_RULE_ERROR);
	struct bk_buf m = BK_BUF_INIT, d = BK_BUF_INIT;

	r->st->failed++;
	if (!rule)
		return;
	if (!strcmp(e->sqlstate, "57014"))
		bk_buf_printf(&m, "planning was cancelled after %d ms (statement_timeout): %s",
			      r->o->statement_timeout_ms, e->message);
	else {
		bk_buf_puts(&m, "the database refuses this statement: ");
		db_error_text(&m, e);
	}
	bk_buf_puts(&d, "query: ");
	sql_excerpt(&d, s->sql, 240);
	if (e->position > 0)
		error_near(&d, s->sql, e->position);
	if (*e->detail)
		bk_buf_printf(&d, "\ndetail: %s", e->detail);
	add_finding(r, s, rule, bk_buf_detach(&m), bk_buf_detach(&d),
		    *e->hint ? bk_xstrdup(e->hint) : NULL);
}

static void report_plan_findings(struct run *r, const struct bk_sql_stmt *s,
				 struct bk_plan_findings *pf)
{
	for (size_t i = 0; i < pf->nr; i++) {
		struct bk_plan_finding *p = &pf->v[i];
		const struct bk_rule *rule = rule_for(r, p->rule_id);
		if (!rule)
			continue;
		add_finding(r, s, rule, p->message, query_detail(s, "plan: ", p->node), p->fix);
		p->message = p->fix = NULL;
	}
}

/* ---- statistics of the relations a plan reads ---- */

static struct rel_entry *rel_get(struct run *r, const char *key)
{
	for (size_t i = 0; i < r->rels_nr; i++)
		if (!strcmp(r->rels[i].key, key))
			return &r->rels[i];
	return NULL;
}

/* Does a catalog row name the relation key ("schema.name" or ".name")? */
static int rel_matches(const char *key, const struct bk_rel_stats *s)
{
	const char *dot = strchr(key, '.');
	const char *name = dot ? dot + 1 : key;
	size_t slen = dot ? (size_t)(dot - key) : 0;

	if (strcmp(name, s->name))
		return 0;
	return !slen || (s->schema && strlen(s->schema) == slen && !strncmp(key, s->schema, slen));
}

/* A text[] literal: {"a","b"} with quotes and backslashes escaped. */
static void array_literal(struct bk_buf *b, char **names, size_t nr)
{
	bk_buf_putc(b, '{');
	for (size_t i = 0; i < nr; i++) {
		bk_buf_puts(b, i ? ",\"" : "\"");
		for (const char *p = names[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				bk_buf_putc(b, '\\');
			bk_buf_putc(b, *p);
		}
		bk_buf_putc(b, '"');
	}
	bk_buf_putc(b, '}');
}

static void rel_store(struct run *r, const char *key, const struct bk_sql_stmt *s,
		      const struct bk_rel_stats *found, size_t found_nr)
{
	struct rel_entry *e;

	BK_ALLOC_GROW(r->rels, r->rels_nr + 1, r->rels_alloc);
	e = &r->rels[r->rels_nr++];
	memset(e, 0, sizeof(*e));
	e->key = bk_xstrdup(key);
	e->first = s;
	e->stats.reltuples = -1;
	for (size_t i = 0; i < found_nr; i++) {
		if (!rel_matches(key, &found[i]))
			continue;
		e->stats = found[i];
		e->stats.schema = bk_xstrdup(found[i].schema ? found[i].schema : "");
		e->stats.name = bk_xstrdup(found[i].name);
		e->known = 1;
		break;
	}
	if (!e->known) {
		e->stats.schema = bk_xstrdup("");
		e->stats.name = bk_xstrdup(strchr(key, '.') ? strchr(key, '.') + 1 : key);
	}
}

/* Look up the relations not seen before; returns -1 when the connection is gone. */
static int rels_lookup(struct run *r, const struct bk_sql_stmt *s, char **keys, size_t nr,
		       struct bk_err *err)
{
	struct bk_db_error e = { 0 };
	struct bk_buf arr = BK_BUF_INIT;
	struct bk_rel_stats *found = NULL;
	size_t found_nr = 0, fresh = 0;
	char **todo = bk_xcalloc(nr + 1, sizeof(char *));
	char *rows = NULL;
	int rc = 0;

	for (size_t i = 0; i < nr; i++)
		if (!rel_get(r, keys[i]))
			todo[fresh++] = keys[i];
	if (!fresh)
		goto out;
	array_literal(&arr, todo, fresh);
	const char *params[] = { arr.ptr };
	rc = r->vt->query_json(r->db, bk_plan_sql_rel_stats, 1, params, &rows, &e);
	if (rc < 0) {
		rc = bk_err_set(err, BK_EIO, "lost the database connection: %s", e.message);
		goto out;
	}
	if (!rc && bk_plan_parse_rel_stats(rows, &found, &found_nr, err)) {
		rc = BK_EIO;
		goto out;
	}
	rc = 0;
	for (size_t i = 0; i < fresh; i++)
		rel_store(r, todo[i], s, found, found_nr);
out:
	if (rows)
		r->vt->free_mem(rows);
	bk_rel_stats_free(found, found_nr);
	bk_buf_release(&arr);
	free(todo);
	return rc;
}

/* ---- one statement ---- */

/* Does the statement write (INSERT/UPDATE/DELETE/MERGE anywhere, FOR UPDATE)? */
static int sql_writes(const char *sql)
{
	static const char *const words[] = { "insert", "update", "delete", "merge", "copy", NULL };
	for (const char *p = sql; *p; p++) {
		if (!isalpha((unsigned char)*p) || (p > sql && (isalnum((unsigned char)p[-1]) || p[-1] == '_')))
			continue;
		for (const char *const *w = words; *w; w++) {
			size_t n = strlen(*w);
			if (!strncasecmp(p, *w, n) && !isalnum((unsigned char)p[n]) && p[n] != '_')
				return 1;
		}
	}
	return 0;
}

static int judge(struct run *r, const struct bk_sql_stmt *s, const char *json, unsigned flags,
		 struct bk_err *err)
{
	struct bk_plan_findings pf = { 0 };
	struct bk_rel_stats *rels = NULL;
	struct bk_plan *plan = NULL;
	char **keys = NULL;
	size_t nr = 0;
	int rc;

	if ((rc = bk_plan_load(&plan, json, err)))
		return rc;
	bk_plan_relations(plan, &keys, &nr);
	if ((rc = rels_lookup(r, s, keys, nr, err)))
		goto out;
	rels = bk_xcalloc(nr + 1, sizeof(*rels));
	for (size_t i = 0; i < nr; i++)
		rels[i] = rel_get(r, keys[i])->stats;
	struct bk_plan_ctx ctx = {
		.analyzed = !!(flags & BK_DB_ANALYZE),
		.seqscan_off = !!(flags & BK_DB_SEQSCAN_OFF),
		.seqscan_set_off = r->seqscan_set_off,
		.rels = rels, .rels_nr = nr,
		.sql_offset = bk_sql_offset(s->sql),
	};
	bk_plan_judge(plan, &ctx, &pf);
	report_plan_findings(r, s, &pf);
out:
	bk_plan_free(plan);
	bk_plan_findings_release(&pf);
	for (size_t i = 0; i < nr; i++)
		free(keys[i]);
	free(keys);
	free(rels);
	return rc;
}

/* One EXPLAIN with flags: 0 judged (or refused: a finding), else an error. */
static int explain_once(struct run *r, const struct bk_sql_stmt *s, unsigned flags,
			int *refused, struct bk_err *err)
{
	struct bk_db_error e = { 0 };
	char *plan = NULL;
	struct bk_db_explain req = {
		.sql = s->sql, .flags = flags,
		.statement_timeout_ms = r->o->statement_timeout_ms,
		.lock_timeout_ms = r->o->lock_timeout_ms,
		.settings = r->o->settings, .settings_nr = r->o->settings_nr,
	};
	int rc = r->vt->explain(r->db, &req, &plan, &e);

	if (rc < 0)
		return bk_err_set(err, BK_EIO, "lost the database connection while explaining %s:%u: %s",
				  s->path, s->line + 1, e.message);
	if (rc > 0) {
		*refused = 1;
		report_error(r, s, &e);
		return 0;
	}
	rc = judge(r, s, plan, flags, err);
	r->vt->free_mem(plan);
	return rc;
}

static int explain_stmt(struct run *r, const struct bk_sql_stmt *s, struct bk_err *err)
{
	unsigned flags = 0;
	int refused = 0, rc;

	if (s->dynamic || !s->sql) {
		report_dynamic(r, s);
		return 0;
	}
	int writes = sql_writes(s->sql);
	/* GENERIC_PLAN and ANALYZE exclude each other: parameters mean a plain plan. */
	if (r->o->analyze && s->nparams == 0 && (!writes || r->o->analyze_writes))
		flags |= BK_DB_ANALYZE | (writes ? BK_DB_ALLOW_WRITES : 0);
	if ((rc = explain_once(r, s, flags, &refused, err)))
		return rc;
	if (refused)
		return 0;
	r->st->explained++;
	/* With seq scans already off (--set), the first pass judged the filters. */
	if (r->throwaway && !r->seqscan_set_off)
		rc = explain_once(r, s, BK_DB_SEQSCAN_OFF, &refused, err);
	return rc;
}

/* ---- catalog checks, once per table ---- */

static void report_never_analyzed(struct run *r)
{
	const struct bk_rule *rule = rule_for(r, BK_PLAN_RULE_NEVER_ANALYZED);

	for (size_t i = 0; rule && !r->throwaway && i < r->rels_nr; i++) {
		const struct rel_entry *e = &r->rels[i];
		struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
		if (!e->known || e->stats.analyzed)
			continue;
		bk_buf_printf(&m, "table %s%s%s has never been analysed: the planner guesses its size and contents",
			      e->stats.schema, *e->stats.schema ? "." : "", e->stats.name);
		bk_buf_printf(&fix, "ANALYZE %s%s%s;", e->stats.schema, *e->stats.schema ? "." : "",
			      e->stats.name);
		add_finding(r, e->first, rule, bk_buf_detach(&m), query_detail(e->first, NULL, NULL),
			    bk_buf_detach(&fix));
	}
}

static const char *json_field(json_t *row, const char *key)
{
	const char *v = json_string_value(json_object_get(row, key));
	return v ? v : "";
}

static const struct rel_entry *rel_by_table(const struct run *r, const char *schema, const char *table)
{
	for (size_t i = 0; i < r->rels_nr; i++) {
		const struct rel_entry *e = &r->rels[i];
		if (e->known && !strcmp(e->stats.name, table) &&
		    (!*e->stats.schema || !strcmp(e->stats.schema, schema)))
			return e;
	}
	return NULL;
}

static void report_fk(struct run *r, const struct bk_rule *rule, json_t *row)
{
	const char *schema = json_field(row, "schema"), *table = json_field(row, "table");
	const char *cols = json_field(row, "columns");
	const struct rel_entry *e = rel_by_table(r, schema, table);
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;

	if (!e)
		return;
	bk_buf_printf(&m, "foreign key %s on %s.%s (%s) has no index: deleting or updating a "
		      "referenced %s row scans %s", json_field(row, "constraint"), schema, table, cols,
		      json_field(row, "referenced_table"), table);
	bk_buf_printf(&fix, "CREATE INDEX CONCURRENTLY ON %s.%s (%s);", schema, table, cols);
	add_finding(r, e->first, rule, bk_buf_detach(&m), query_detail(e->first, NULL, NULL),
		    bk_buf_detach(&fix));
}

static int report_unindexed_fks(struct run *r, struct bk_err *err)
{
	const struct bk_rule *rule = rule_for(r, BK_PLAN_RULE_FK_NO_INDEX);
	struct bk_db_error e = { 0 };
	json_error_t jerr;
	char *rows = NULL;
	json_t *arr;
	int rc;

	if (!rule || !r->rels_nr)
		return 0;
	rc = r->vt->query_json(r->db, bk_plan_sql_unindexed_fks, 0, NULL, &rows, &e);
	if (rc < 0)
		return bk_err_set(err, BK_EIO, "lost the database connection: %s", e.message);
	if (rc > 0)
		return bk_err_set(err, BK_EIO, "the foreign-key catalog query failed: %s", e.message);
	arr = json_loads(rows, 0, &jerr);
	r->vt->free_mem(rows);
	if (!json_is_array(arr)) {
		json_decref(arr);
		return bk_err_set(err, BK_EIO, "the database plugin returned invalid rows: %s", jerr.text);
	}
	for (size_t i = 0; i < json_array_size(arr); i++)
		report_fk(r, rule, json_array_get(arr, i));
	json_decref(arr);
	return 0;
}

/* ---- the database ---- */

static void tmp_progress(void *ctx, const char *what)
{
	const struct run *r = ctx;
	progress(r, "throwaway PostgreSQL: %s", what);
}

/* 1-based line and column of byte offset in text. */
static void text_position(const char *text, size_t offset, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; text[i] && i < offset; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}


struct migration {
	struct run *r;
	const char *path, *text;
	int failed;
	struct bk_err *err;
};

/* Statements run one by one, so an error names the line it comes from. */
static void migration_stmt(void *ctx, const char *stmt, size_t len, size_t offset)
{
	struct migration *m = ctx;
	struct bk_db_error e = { 0 };
	char *one;
	unsigned line, col;

	if (m->failed)
		return;
	one = bk_xstrndup(stmt, len);
	if (m->r->vt->exec_script(m->r->db, one, &e)) {
		struct bk_buf msg = BK_BUF_INIT;
		m->failed = 1;
		text_position(m->text, offset + (e.position > 0 ? char_offset(one, e.position) : 0),
			      &line, &col);
		db_error_text(&msg, &e);
		bk_err_set(m->err, BK_EIO, "%s:%u:%u: the migration does not apply to a fresh "
			   "database: %s%s%s", m->path, line, col, msg.ptr,
			   *e.hint ? "; hint: " : "", e.hint);
		bk_buf_release(&msg);
	}
	free(one);
}

static int apply_migration(struct run *r, const char *path, struct bk_err *err)
{
	struct bk_buf text = BK_BUF_INIT;
	struct migration m = { .r = r, .path = path, .err = err };

	struct bk_buf why = BK_BUF_INIT;
	if (bk_read_regular(&text, path, 0, &why)) {
		int rc = bk_err_set(err, BK_EIO, "cannot read migration '%s': %s", path, why.ptr);
		bk_buf_release(&why);
		bk_buf_release(&text);
		return rc;
	}
	m.text = text.ptr;
	bk_sql_split(text.ptr, text.len, migration_stmt, &m);
	bk_buf_release(&text);
	if (m.failed)
		return err->code;
	r->st->migrations++;
	return 0;
}

static int connect_db(struct run *r, const char *conninfo, struct bk_err *err)
{
	struct bk_db_error e = { 0 };
	int timeout = r->o->connect_timeout_s ? r->o->connect_timeout_s : 10;

	if (r->vt->connect(&r->db, conninfo, timeout, &e))
		return bk_err_set(err, BK_EIO, "cannot connect to the database: %s", e.message);
	r->st->server_version = r->vt->server_version(r->db);
	return 0;
}

static int start_throwaway(struct run *r, struct bk_err *err)
{
	struct bk_pgtmp_opts to = {
		.bindir = r->o->pg_bindir,
		.progress = tmp_progress, .progress_ctx = r,
	};
	int rc;

	r->throwaway = 1;
	if ((rc = bk_pgtmp_start(&r->tmp, &to, err)) ||
	    (rc = connect_db(r, r->tmp.conninfo, err)))
		return rc;
	for (size_t i = 0; i < r->o->migrations_nr && !rc; i++) {
		progress(r, "applying migration %zu/%zu: %s", i + 1, r->o->migrations_nr,
			 r->o->migrations[i]);
		rc = apply_migration(r, r->o->migrations[i], err);
	}
	return rc;
}

/* Is setting ("name=value") name set to off/false/0? */
static int setting_is_off(const char *setting, const char *name)
{
	size_t n = strlen(name);
	const char *v = setting + n;

	if (strncmp(setting, name, n))
		return 0;
	v += strspn(v, " ");
	if (*v++ != '=')
		return 0;
	v += strspn(v, " '");
	return !strncasecmp(v, "off", 3) || !strncasecmp(v, "false", 5) || *v == '0';
}

static void run_release(struct run *r)
{
	if (r->db)
		r->vt->close(r->db);
	if (r->throwaway && r->tmp.dir)
		bk_pgtmp_stop(&r->tmp);
	bk_db_plugin_unload(&r->plugin);
	for (size_t i = 0; i < r->rels_nr; i++) {
		free(r->rels[i].key);
		free(r->rels[i].stats.schema);
		free(r->rels[i].stats.name);
	}
	free(r->rels);
}

int bk_explain_run(struct bk_report *report, const struct bk_ruleset *rules,
		   const struct bk_sql_list *stmts, const struct bk_explain_opts *o,
		   struct bk_explain_stats *st, struct bk_err *err)
{
	struct bk_explain_opts opts = *o;
	struct run r = { .o = &opts, .rules = rules, .report = report, .st = st };
	uint64_t t0 = bk_now_ns();
	int rc;

	opts.statement_timeout_ms = o->statement_timeout_ms ? o->statement_timeout_ms : 5000;
	opts.lock_timeout_ms = o->lock_timeout_ms ? o->lock_timeout_ms : 1000;
	st->statements = stmts->nr;
	for (size_t i = 0; i < o->settings_nr; i++)
		r.seqscan_set_off |= setting_is_off(o->settings[i], "enable_seqscan");
	if ((rc = bk_db_plugin_load(&r.plugin, o->plugin ? o->plugin : "postgres", o->plugin_dir, err)))
		goto out;
	r.vt = r.plugin.vt;
	if ((rc = o->db_url ? connect_db(&r, o->db_url, err) : start_throwaway(&r, err)))
		goto out;
	st->start_ms = (double)(bk_now_ns() - t0) / 1e6;
	t0 = bk_now_ns();
	for (size_t i = 0; i < stmts->nr && !rc; i++) {
		progress(&r, "explaining %zu/%zu  %s:%u", i + 1, stmts->nr, stmts->v[i].path,
			 stmts->v[i].line + 1);
		rc = explain_stmt(&r, &stmts->v[i], err);
	}
	if (!rc)
		rc = report_unindexed_fks(&r, err);
	if (!rc)
		report_never_analyzed(&r);
	st->explain_ms = (double)(bk_now_ns() - t0) / 1e6;
out:
	run_release(&r);
	return rc;
}
