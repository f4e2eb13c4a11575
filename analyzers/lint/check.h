/*
 * The check pipeline over a list of files: read, skip what is not worth
 * checking (binary, minified, oversized, invalid UTF-8), give each file a
 * code role (source, test, seed, ...; generated and vendored files no rule
 * applies to are skips), run the engine on the rules of that role, with a
 * fixed pool of workers; the merged report is sorted, so output does not
 * depend on the number of workers.
 */
#ifndef BK_CHECK_H
#define BK_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include "lint/engine.h"
#include "base/report.h"
#include "base/walk.h"

struct bk_check_opts {
	int jobs;                 /* <= 0: number of cores */
	uint64_t max_size;        /* bytes; larger files are skipped */
	unsigned flags;           /* BK_CHECK_* */
	uint64_t file_budget_ms;  /* 0: BK_FILE_BUDGET_MS */
	size_t max_findings_per_file; /* 0: BK_MAX_FINDINGS_PER_FILE, SIZE_MAX: no cap */
	/*
	 * Content from elsewhere than the disk (the git index): return 1 with the
	 * text and length borrowed for the run, or 0 to read path from the disk.
	 * Called from the workers, so it must not write shared state.
	 */
	int (*read)(const char **text, size_t *len, const char *path, void *data);
	void *read_data;
	/*
	 * The role of path when the caller knows it (config `roles:`), or -1
	 * to classify it (base/classify.h). Called from the workers.
	 */
	int (*role_of)(const char *path, void *data);
	void *role_data;
	/*
	 * Directories named on the command line: a file under one is classified
	 * by its path below it, so `bkgen check examples/shop` checks the shop
	 * as source code although it lies under examples/.
	 */
	const char *const *role_roots;
	size_t role_roots_nr;
};

#define BK_SLOWEST_FILES 5

struct bk_slow_file {
	char *path;
	uint64_t ns;
};

struct bk_check_stats {
	struct bk_slow_file slowest[BK_SLOWEST_FILES]; /* slowest first; caller frees paths */
	double walk_ms, compile_ms, wall_ms;
	uint64_t read_ns, parse_ns, query_ns, cond_ns, regex_ns; /* summed over workers */
	struct bk_rule_stats *rules;  /* ruleset order; caller frees */
	size_t rules_nr;
};

/* Prepares the languages present in files, then checks them all. */
int bk_check_files(struct bk_report *out, struct bk_check_stats *stats,
		   struct bk_engine *e, const struct bk_file_list *files,
		   const struct bk_check_opts *opts, struct bk_err *err);

#endif
