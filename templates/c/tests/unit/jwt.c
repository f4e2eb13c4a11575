#include <criterion/criterion.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "jwt.h"

#define SECRET "0123456789abcdef0123456789abcdef"
#define NOW 1700000000LL

static const struct jwt_config cfg = { SECRET, sizeof(SECRET) - 1, "acme-payments", "", 60 };

static char *mint(const char *claims_json)
{
	json_t *claims = json_loads(claims_json, 0, NULL);
	struct buf out = BUF_INIT;

	cr_assert_not_null(claims, "bad test JSON %s", claims_json);
	cr_assert_eq(jwt_sign(&cfg, claims, &out), 0);
	json_decref(claims);
	return buf_detach(&out);
}

static enum jwt_status check(const char *claims_json, struct jwt_claims *out)
{
	char *tok = mint(claims_json);
	enum jwt_status st = jwt_verify(&cfg, tok, NOW, out);

	free(tok);
	return st;
}

Test(jwt, accepts_a_valid_token)
{
	struct jwt_claims c;

	cr_assert_eq(check("{\"sub\":\"m1\",\"aud\":\"acme-payments\",\"exp\":1700000100,"
			   "\"scope\":\"payments:read payments:write\"}", &c), JWT_OK);
	cr_assert_str_eq(c.sub, "m1");
	cr_assert(jwt_has_scope(&c, "payments:write"));
	cr_assert(jwt_has_scope(&c, "payments:read"));
	cr_assert_not(jwt_has_scope(&c, "payments"));
	cr_assert_not(jwt_has_scope(&c, "read"));
}

Test(jwt, audience_may_be_an_array)
{
	struct jwt_claims c;

	cr_assert_eq(check("{\"sub\":\"m\",\"aud\":[\"x\",\"acme-payments\"],\"exp\":1700000100}", &c), JWT_OK);
	cr_assert_eq(check("{\"sub\":\"m\",\"aud\":[\"x\"],\"exp\":1700000100}", &c), JWT_BAD_AUDIENCE);
	cr_assert_eq(check("{\"sub\":\"m\",\"exp\":1700000100}", &c), JWT_BAD_AUDIENCE);
}

Test(jwt, checks_exp_and_nbf_with_leeway)
{
	struct jwt_claims c;

	cr_assert_eq(check("{\"sub\":\"m\",\"aud\":\"acme-payments\",\"exp\":1699999950}", &c), JWT_OK,
		     "expired 50 s ago is inside the 60 s leeway");
	cr_assert_eq(check("{\"sub\":\"m\",\"aud\":\"acme-payments\",\"exp\":1699999900}", &c), JWT_EXPIRED);
	cr_assert_eq(check("{\"sub\":\"m\",\"aud\":\"acme-payments\"}", &c), JWT_MALFORMED, "exp is required");
	cr_assert_eq(check("{\"sub\":\"m\",\"aud\":\"acme-payments\",\"exp\":1700000100,\"nbf\":1700000100}", &c),
		     JWT_NOT_YET_VALID);
	cr_assert_eq(check("{\"sub\":\"m\",\"aud\":\"acme-payments\",\"exp\":1700000100,\"nbf\":1700000030}", &c),
		     JWT_OK);
}

Test(jwt, huge_or_fractional_times_are_handled)
{
	struct jwt_claims c;

	cr_assert_eq(check("{\"sub\":\"m\",\"aud\":\"acme-payments\",\"exp\":1e300}", &c), JWT_OK);
	cr_assert_eq(check("{\"sub\":\"m\",\"aud\":\"acme-payments\",\"exp\":-1e300}", &c), JWT_EXPIRED);
	cr_assert_eq(check("{\"sub\":\"m\",\"aud\":\"acme-payments\",\"exp\":\"soon\"}", &c), JWT_MALFORMED);
}

Test(jwt, requires_a_subject)
{
	struct jwt_claims c;

	cr_assert_eq(check("{\"aud\":\"acme-payments\",\"exp\":1700000100}", &c), JWT_BAD_SUBJECT);
	cr_assert_eq(check("{\"sub\":\"\",\"aud\":\"acme-payments\",\"exp\":1700000100}", &c), JWT_BAD_SUBJECT);
}

Test(jwt, checks_the_issuer_when_configured)
{
	struct jwt_config with_iss = cfg;
	struct jwt_claims c;
	char *tok = mint("{\"sub\":\"m\",\"aud\":\"acme-payments\",\"exp\":1700000100,\"iss\":\"a\"}");

	with_iss.issuer = "a";
	cr_assert_eq(jwt_verify(&with_iss, tok, NOW, &c), JWT_OK);
	with_iss.issuer = "b";
	cr_assert_eq(jwt_verify(&with_iss, tok, NOW, &c), JWT_BAD_ISSUER);
	free(tok);
}

Test(jwt, rejects_a_tampered_payload)
{
	char *tok = mint("{\"sub\":\"m1\",\"aud\":\"acme-payments\",\"exp\":1700000100}");
	char *forged = mint("{\"sub\":\"admin\",\"aud\":\"acme-payments\",\"exp\":1700000100}");
	struct buf mixed = BUF_INIT;
	struct jwt_claims c;

	/* forged header.payload with the original signature */
	buf_append(&mixed, forged, (size_t)(strrchr(forged, '.') - forged));
	buf_puts(&mixed, strrchr(tok, '.'));
	cr_assert_eq(jwt_verify(&cfg, mixed.data, NOW, &c), JWT_BAD_SIGNATURE);
	buf_release(&mixed);
	free(tok);
	free(forged);
}

Test(jwt, rejects_another_key)
{
	struct jwt_config other = cfg;
	struct jwt_claims c;
	char *tok = mint("{\"sub\":\"m\",\"aud\":\"acme-payments\",\"exp\":1700000100}");

	other.secret = "another-secret-another-secret-xx";
	other.secret_len = strlen(other.secret);
	cr_assert_eq(jwt_verify(&other, tok, NOW, &c), JWT_BAD_SIGNATURE);
	free(tok);
}

static char *with_header(const char *header_json, const char *claims_json, const char *sig)
{
	struct buf b = BUF_INIT;

	crypto_b64url_encode(&b, header_json, strlen(header_json));
	buf_puts(&b, ".");
	crypto_b64url_encode(&b, claims_json, strlen(claims_json));
	buf_puts(&b, sig);
	return buf_detach(&b);
}

Test(jwt, rejects_alg_none_and_other_algorithms)
{
	const char *claims = "{\"sub\":\"m\",\"aud\":\"acme-payments\",\"exp\":1700000100}";
	char *none = with_header("{\"alg\":\"none\"}", claims, ".");
	char *rs = with_header("{\"alg\":\"RS256\"}", claims, ".AAAA");
	struct jwt_claims c;

	cr_assert_eq(jwt_verify(&cfg, none, NOW, &c), JWT_BAD_ALGORITHM);
	cr_assert_eq(jwt_verify(&cfg, rs, NOW, &c), JWT_BAD_ALGORITHM);
	free(none);
	free(rs);
}

Test(jwt, rejects_malformed_tokens)
{
	struct jwt_claims c;

	cr_assert_eq(jwt_verify(&cfg, "", NOW, &c), JWT_MALFORMED);
	cr_assert_eq(jwt_verify(&cfg, "a.b", NOW, &c), JWT_MALFORMED);
	cr_assert_eq(jwt_verify(&cfg, "a.b.c.d", NOW, &c), JWT_MALFORMED);
	cr_assert_eq(jwt_verify(&cfg, "e30.e30.!!", NOW, &c), JWT_BAD_ALGORITHM);
	cr_assert_eq(jwt_verify(&cfg, "bm90IGpzb24.e30.", NOW, &c), JWT_MALFORMED);
	cr_assert_eq(jwt_verify(&cfg, NULL, NOW, &c), JWT_MALFORMED);
}
