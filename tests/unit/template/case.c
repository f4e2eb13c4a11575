/*
 * Case forms of a kebab-case name and their replacement in text and
 * paths: every form maps to the same form of the new name, longest first.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "template/template.h"

static void expect_forms(const char *kebab, const char *const want[BK_CASE_NR])
{
	char *forms[BK_CASE_NR];
	bk_case_forms(forms, kebab);
	for (int i = 0; i < BK_CASE_NR; i++)
		cr_expect_str_eq(forms[i], want[i], "form %d of '%s'", i, kebab);
	bk_case_forms_release(forms);
}

Test(template, case_forms_of_the_source_name)
{
	const char *const want[BK_CASE_NR] = {
		[BK_CASE_KEBAB] = "acme-payments", [BK_CASE_SNAKE] = "acme_payments",
		[BK_CASE_CAMEL] = "acmePayments", [BK_CASE_PASCAL] = "AcmePayments",
		[BK_CASE_UPPER] = "ACME_PAYMENTS", [BK_CASE_FLAT] = "acmepayments",
	};
	expect_forms("acme-payments", want);
}

Test(template, case_forms_of_a_new_name)
{
	const char *const want[BK_CASE_NR] = {
		[BK_CASE_KEBAB] = "order-hub", [BK_CASE_SNAKE] = "order_hub",
		[BK_CASE_CAMEL] = "orderHub", [BK_CASE_PASCAL] = "OrderHub",
		[BK_CASE_UPPER] = "ORDER_HUB", [BK_CASE_FLAT] = "orderhub",
	};
	expect_forms("order-hub", want);
}

Test(template, case_forms_of_one_word_and_of_digits)
{
	const char *const one[BK_CASE_NR] = { "demo", "demo", "demo", "Demo", "DEMO", "demo" };
	const char *const three[BK_CASE_NR] = {
		"api-v2-gateway", "api_v2_gateway", "apiV2Gateway", "ApiV2Gateway",
		"API_V2_GATEWAY", "apiv2gateway",
	};
	expect_forms("demo", one);
	expect_forms("api-v2-gateway", three);
}

static char *rename_text(const char *from, const char *to, const char *text)
{
	struct bk_renamer r;
	struct bk_buf out = BK_BUF_INIT;
	bk_renamer_init(&r, from, to);
	bk_renamer_apply(&r, &out, text, strlen(text));
	bk_renamer_release(&r);
	return bk_buf_detach(&out);
}

Test(template, replacement_in_contents_keeps_each_form)
{
	char *got = rename_text("acme-payments", "order-hub",
				"acme-payments acme_payments acmePayments AcmePayments ACME_PAYMENTS acmepayments\n"
				"struct AcmePaymentsConfig *acme_payments_config; /* ACME_PAYMENTS_PORT */\n");
	cr_expect_str_eq(got, "order-hub order_hub orderHub OrderHub ORDER_HUB orderhub\n"
			      "struct OrderHubConfig *order_hub_config; /* ORDER_HUB_PORT */\n");
	free(got);
}

Test(template, replacement_leaves_other_text_and_other_cases_alone)
{
	char *got = rename_text("acme-payments", "order-hub",
				"acme payments, Acme-Payments, ACMEPAYMENTS, acme-pay, payments\n");
	cr_expect_str_eq(got, "acme payments, Acme-Payments, ACMEPAYMENTS, acme-pay, payments\n");
	free(got);
	got = rename_text("acme-payments", "order-hub", "");
	cr_expect_str_eq(got, "");
	free(got);
}

Test(template, replacement_in_paths)
{
	char *got = rename_text("acme-payments", "order-hub", "src/acme_payments/AcmePayments.cs");
	cr_expect_str_eq(got, "src/order_hub/OrderHub.cs");
	free(got);
	got = rename_text("acme-payments", "order-hub", "config/acme-payments.yml");
	cr_expect_str_eq(got, "config/order-hub.yml");
	free(got);
}

Test(template, replacement_to_a_one_word_name)
{
	char *got = rename_text("acme-payments", "demo", "acme_payments_init(AcmePayments, ACME_PAYMENTS)");
	cr_expect_str_eq(got, "demo_init(Demo, DEMO)");
	free(got);
}

Test(template, names_are_validated)
{
	struct bk_err err = { 0 };
	cr_expect_eq(bk_name_check("order-hub", &err), 0);
	cr_expect_eq(bk_name_check("a", &err), 0);
	cr_expect_eq(bk_name_check("a23456789012345678901234567890123456789012345678901234567890123", &err), 0);
	cr_expect_eq(bk_name_check("a234567890123456789012345678901234567890123456789012345678901234", &err), BK_EUSAGE);
	cr_expect_eq(bk_name_check("Order", &err), BK_EUSAGE);
	cr_expect_eq(bk_name_check("9lives", &err), BK_EUSAGE);
	cr_expect_eq(bk_name_check("order_hub", &err), BK_EUSAGE);
	cr_expect(strstr(err.msg, "'_'"), "names the bad character: %s", err.msg);
	cr_expect_eq(bk_name_check("../x", &err), BK_EUSAGE);
	cr_expect_eq(bk_name_check("", &err), BK_EUSAGE);
}

Test(template, safe_paths)
{
	cr_expect(bk_path_is_safe("a"));
	cr_expect(bk_path_is_safe("a/b.c"));
	cr_expect(bk_path_is_safe(".github/workflows/ci.yml"));
	cr_expect(bk_path_is_safe("a/..b"));
	cr_expect_not(bk_path_is_safe(""));
	cr_expect_not(bk_path_is_safe("/etc/passwd"));
	cr_expect_not(bk_path_is_safe("../x"));
	cr_expect_not(bk_path_is_safe("a/../../x"));
	cr_expect_not(bk_path_is_safe("a/./b"));
	cr_expect_not(bk_path_is_safe("a//b"));
	cr_expect_not(bk_path_is_safe("a/"));
}
