/* The probe's check table: every row whole, its rule named after it. */
#include <criterion/criterion.h>
#include <string.h>

#include "probe/probe.h"
#include "base/util.h"

Test(probe, every_check_row_complete)
{
	size_t n = 0;

	for (const struct bk_probe_check *c = bk_probe_checks; c->name; c++, n++) {
		size_t len = c->doc ? strlen(c->doc) : 0;
		cr_expect(c->section && *c->section && c->proves && *c->proves, "%s", c->name);
		cr_expect(len && c->doc[len - 1] == '.', "%s: doc is not a sentence", c->name);
		cr_expect(c->run, "%s has no function", c->name);
		cr_expect(c->rule.title && c->rule.message && c->rule.rationale && c->rule.fix,
			  "%s", c->name);
		cr_expect_eq(c->rule.severity, BK_SEV_ERROR, "%s", c->name);
		cr_expect(c->rule.enabled, "%s", c->name);
		for (const char *p = c->name; *p; p++)
			cr_expect((*p >= 'a' && *p <= 'z') || *p == '-', "%s is not kebab-case", c->name);
	}
	cr_expect_eq(bk_probe_check_count(), n);
	cr_expect_geq(n, 1);
}

Test(probe, rule_id_is_probe_slash_name_and_names_unique)
{
	for (const struct bk_probe_check *c = bk_probe_checks; c->name; c++) {
		struct bk_buf id = BK_BUF_INIT;
		bk_buf_printf(&id, "probe/%s", c->name);
		cr_expect_str_eq(c->rule.id, id.ptr);
		bk_buf_release(&id);
		for (const struct bk_probe_check *d = c + 1; d->name; d++)
			cr_expect_str_neq(c->name, d->name);
	}
}

/* rate-limit empties the client's token bucket: nothing may run after it. */
Test(probe, rate_limit_runs_last)
{
	size_t n = bk_probe_check_count();

	cr_assert_geq(n, 1);
	cr_expect_str_eq(bk_probe_checks[n - 1].name, "rate-limit");
}
