#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "webhook_sig.h"

#define SECRET "whsec_test_secret"
#define BODY "{\"id\":\"evt_1\",\"type\":\"payment.captured\"}"
#define NOW 1700000000LL

static enum webhook_sig_status verify(const char *ts, const char *sig, const char *body)
{
	return webhook_sig_verify(SECRET, ts, sig, body, strlen(body), NOW, 300);
}

static void sign(const char *ts, const char *body, char out[WEBHOOK_SIG_HEADER_MAX])
{
	webhook_sig_sign(SECRET, ts, body, strlen(body), out);
}

Test(webhook_sig, signs_timestamp_dot_body)
{
	char sig[WEBHOOK_SIG_HEADER_MAX];

	/* python3: hmac.new(b"key", b"1.", hashlib.sha256).hexdigest() */
	webhook_sig_sign("key", "1", "", 0, sig);
	cr_assert_str_eq(sig, "v1=53123bc365c2fe4bee48bc5cc6cd6c19699147d43513154ed34277c7c063e80f");
}

Test(webhook_sig, accepts_a_fresh_valid_signature)
{
	char sig[WEBHOOK_SIG_HEADER_MAX];

	sign("1700000000", BODY, sig);
	cr_assert_eq(verify("1700000000", sig, BODY), WEBHOOK_SIG_OK);
}

Test(webhook_sig, rejects_a_changed_body)
{
	char sig[WEBHOOK_SIG_HEADER_MAX];

	sign("1700000000", BODY, sig);
	cr_assert_eq(verify("1700000000", sig, "{\"id\":\"evt_2\"}"), WEBHOOK_SIG_MISMATCH);
}

Test(webhook_sig, rejects_a_moved_timestamp)
{
	char sig[WEBHOOK_SIG_HEADER_MAX];

	sign("1700000000", BODY, sig);
	cr_assert_eq(verify("1700000001", sig, BODY), WEBHOOK_SIG_MISMATCH);
}

Test(webhook_sig, rejects_timestamps_outside_five_minutes)
{
	char sig[WEBHOOK_SIG_HEADER_MAX];

	sign("1699999699", BODY, sig);
	cr_assert_eq(verify("1699999699", sig, BODY), WEBHOOK_SIG_EXPIRED);
	sign("1699999700", BODY, sig);
	cr_assert_eq(verify("1699999700", sig, BODY), WEBHOOK_SIG_OK, "exactly 300 s old is accepted");
	sign("1700000301", BODY, sig);
	cr_assert_eq(verify("1700000301", sig, BODY), WEBHOOK_SIG_EXPIRED, "from the future too");
}

Test(webhook_sig, any_listed_signature_may_match)
{
	char sig[WEBHOOK_SIG_HEADER_MAX], header[256];

	sign("1700000000", BODY, sig);
	snprintf(header, sizeof(header), "v1=%064d, %s", 0, sig);
	cr_assert_eq(verify("1700000000", header, BODY), WEBHOOK_SIG_OK);
}

Test(webhook_sig, rejects_missing_and_malformed_headers)
{
	cr_assert_eq(verify(NULL, "v1=00", BODY), WEBHOOK_SIG_MISSING);
	cr_assert_eq(verify("1700000000", NULL, BODY), WEBHOOK_SIG_MISSING);
	cr_assert_eq(verify("17e8", "v1=00", BODY), WEBHOOK_SIG_BAD_TIMESTAMP);
	cr_assert_eq(verify("-1", "v1=00", BODY), WEBHOOK_SIG_BAD_TIMESTAMP);
	cr_assert_eq(verify("1700000000", "v1=", BODY), WEBHOOK_SIG_MISMATCH);
	cr_assert_eq(verify("1700000000", "", BODY), WEBHOOK_SIG_MISMATCH);
}
