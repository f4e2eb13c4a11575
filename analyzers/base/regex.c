/*
 * The PCRE2 adapter: every regex of bkgen (query predicates, prefilters,
 * text-language rules, template option patterns) is compiled and matched
 * here, in UTF mode, with JIT when the platform has it.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "base/regex.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include "base/util.h"

struct bk_regex {
	pcre2_code *code;
	char *where;            /* where it was written, for messages */
};

struct bk_regex_scratch {
	pcre2_match_data *md;
	const struct bk_regex *failed;  /* the first that stopped at a limit */
	int failed_rc;
};

int bk_regex_new(struct bk_regex **out, const char *src, const char *where,
		 struct bk_err *err)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
					 PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
					 &errcode, &erroff, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		return bk_err_set(err, BK_ECONFIG,
				  "%s: invalid regex '%s': %s at offset %zu",
				  where, src, (char *)msg, (size_t)erroff);
	}
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* falls back if no JIT */
	*out = bk_xcalloc(1, sizeof(**out));
	(*out)->code = code;
	(*out)->where = bk_xstrdup(where);
	return 0;
}

void bk_regex_free(struct bk_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	free(re->where);
	free(re);
}

struct bk_regex_scratch *bk_regex_scratch_new(void)
{
	struct bk_regex_scratch *s = bk_xcalloc(1, sizeof(*s));
	s->md = pcre2_match_data_create(8, NULL);
	if (!s->md) {
		fprintf(stderr, "bkgen: fatal: out of memory (pcre2)\n");
		exit(3);
	}
	return s;
}

void bk_regex_scratch_free(struct bk_regex_scratch *s)
{
	if (!s)
		return;
	pcre2_match_data_free(s->md);
	free(s);
}

void bk_regex_scratch_clear(struct bk_regex_scratch *s)
{
	s->failed = NULL;
	s->failed_rc = 0;
}

int bk_regex_scratch_failed(const struct bk_regex_scratch *s)
{
	return s->failed != NULL;
}

int bk_regex_scratch_failure(const struct bk_regex_scratch *s, struct bk_buf *out)
{
	PCRE2_UCHAR msg[256];

	if (!s->failed)
		return 0;
	if (pcre2_get_error_message(s->failed_rc, msg, sizeof(msg)) < 0)
		snprintf((char *)msg, sizeof(msg), "error %d", s->failed_rc);
	bk_buf_printf(out, "the regex at %s gave up: %s", s->failed->where, (char *)msg);
	return 1;
}

int bk_regex_may_match(const struct bk_regex *re, const char *text, size_t len,
		       struct bk_regex_scratch *s)
{
	return pcre2_match(re->code, (PCRE2_SPTR)text, len, 0, 0, s->md, NULL) !=
	       PCRE2_ERROR_NOMATCH;
}

int bk_regex_search(const struct bk_regex *re, const char *text, size_t len,
		    size_t start, size_t *mstart, size_t *mend,
		    struct bk_regex_scratch *s)
{
	int rc = pcre2_match(re->code, (PCRE2_SPTR)text, len, start, 0, s->md, NULL);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		/* a limit (match, depth, heap, JIT stack): not an answer */
		if (!s->failed) {
			s->failed = re;
			s->failed_rc = rc;
		}
		return -1;
	}
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
	if (mstart)
		*mstart = ov[0];
	if (mend)
		*mend = ov[1];
	return 1;
}
