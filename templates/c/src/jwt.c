#include "jwt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

static const char *const jwt_messages[] = {
	[JWT_OK] = "valid",
	[JWT_MALFORMED] = "token is not a well-formed JWT",
	[JWT_BAD_ALGORITHM] = "token algorithm must be HS256",
	[JWT_BAD_SIGNATURE] = "token signature does not match",
	[JWT_EXPIRED] = "token has expired",
	[JWT_NOT_YET_VALID] = "token is not valid yet (nbf)",
	[JWT_BAD_AUDIENCE] = "token audience does not match",
	[JWT_BAD_ISSUER] = "token issuer does not match",
	[JWT_BAD_SUBJECT] = "token subject (sub) missing or longer than 64 characters",
};

const char *jwt_status_message(enum jwt_status status)
{
	return jwt_messages[status];
}

static json_t *jwt_decode_part(const char *s, size_t len)
{
	struct buf raw;
	json_t *v = NULL;

	buf_init(&raw, JWT_MAX_LEN);
	if (crypto_b64url_decode(&raw, s, len) == 0)
		v = json_loadb(raw.data, raw.len, JSON_REJECT_DUPLICATES, NULL);
	buf_release(&raw);
	if (v && !json_is_object(v)) {
		json_decref(v);
		v = NULL;
	}
	return v;
}

static enum jwt_status jwt_check_signature(const struct jwt_config *cfg, const char *token,
					   size_t signed_len, const char *sig, size_t sig_len)
{
	unsigned char mac[SHA256_LEN];
	struct buf given;
	enum jwt_status st = JWT_BAD_SIGNATURE;

	buf_init(&given, 128);
	crypto_hmac_sha256(cfg->secret, cfg->secret_len, token, signed_len, mac);
	if (crypto_b64url_decode(&given, sig, sig_len) == 0 && given.len == SHA256_LEN &&
	    crypto_equal(given.data, mac, SHA256_LEN))
		st = JWT_OK;
	buf_release(&given);
	return st;
}

static int jwt_audience_matches(const json_t *aud, const char *want)
{
	size_t i;
	json_t *v;

	if (json_is_string(aud))
		return strcmp(json_string_value(aud), want) == 0;
	json_array_foreach(aud, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), want) == 0)
			return 1;
	return 0;
}

static enum jwt_status jwt_check_time(const json_t *claims, long long now, long leeway)
{
	json_t *exp = json_object_get(claims, "exp");
	json_t *nbf = json_object_get(claims, "nbf");

	/* Compared as doubles: casting a huge claim to an integer is undefined. */
	if (!json_is_number(exp))
		return JWT_MALFORMED;
	if (json_number_value(exp) + (double)leeway <= (double)now)
		return JWT_EXPIRED;
	if (nbf && !json_is_number(nbf))
		return JWT_MALFORMED;
	if (nbf && json_number_value(nbf) - (double)leeway > (double)now)
		return JWT_NOT_YET_VALID;
	return JWT_OK;
}

static enum jwt_status jwt_check_claims(const struct jwt_config *cfg, const json_t *claims,
					long long now, struct jwt_claims *out)
{
	const char *sub = json_string_value(json_object_get(claims, "sub"));
	const char *scope = json_string_value(json_object_get(claims, "scope"));
	const char *iss = json_string_value(json_object_get(claims, "iss"));
	enum jwt_status st = jwt_check_time(claims, now, cfg->leeway_s);

	if (st != JWT_OK)
		return st;
	if (!jwt_audience_matches(json_object_get(claims, "aud"), cfg->audience))
		return JWT_BAD_AUDIENCE;
	if (cfg->issuer && cfg->issuer[0] && (iss == NULL || strcmp(iss, cfg->issuer) != 0))
		return JWT_BAD_ISSUER;
	if (sub == NULL || sub[0] == '\0' || strlen(sub) > JWT_SUB_MAX)
		return JWT_BAD_SUBJECT;
	memcpy(out->sub, sub, strlen(sub) + 1);
	snprintf(out->scope, sizeof(out->scope), "%s", scope ? scope : "");
	return JWT_OK;
}

enum jwt_status jwt_verify(const struct jwt_config *cfg, const char *token,
			   long long now, struct jwt_claims *out)
{
	const char *dot1, *dot2;
	json_t *header = NULL, *claims = NULL;
	enum jwt_status st = JWT_MALFORMED;

	if (token == NULL || strlen(token) > JWT_MAX_LEN)
		return JWT_MALFORMED;
	dot1 = strchr(token, '.');
	dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (dot2 == NULL || strchr(dot2 + 1, '.') != NULL)
		return JWT_MALFORMED;
	header = jwt_decode_part(token, (size_t)(dot1 - token));
	claims = jwt_decode_part(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	if (header == NULL || claims == NULL)
		goto out;
	st = JWT_BAD_ALGORITHM;
	if (!json_is_string(json_object_get(header, "alg")) ||
	    strcmp(json_string_value(json_object_get(header, "alg")), "HS256") != 0)
		goto out;
	st = jwt_check_signature(cfg, token, (size_t)(dot2 - token), dot2 + 1, strlen(dot2 + 1));
	if (st == JWT_OK)
		st = jwt_check_claims(cfg, claims, now, out);
out:
	json_decref(header);
	json_decref(claims);
	return st;
}

int jwt_has_scope(const struct jwt_claims *claims, const char *scope)
{
	size_t n = strlen(scope);
	const char *p = claims->scope;

	while ((p = strstr(p, scope)) != NULL) {
		int starts = p == claims->scope || p[-1] == ' ';
		int ends = p[n] == '\0' || p[n] == ' ';

		if (starts && ends)
			return 1;
		p += n;
	}
	return 0;
}

int jwt_sign(const struct jwt_config *cfg, const json_t *claims, struct buf *out)
{
	static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
	unsigned char mac[SHA256_LEN];
	char *payload = json_dumps(claims, JSON_COMPACT);
	size_t start = out->len;
	int rc = -1;

	if (payload == NULL)
		return -1;
	if (crypto_b64url_encode(out, header, strlen(header)) == 0 && buf_puts(out, ".") == 0 &&
	    crypto_b64url_encode(out, payload, strlen(payload)) == 0) {
		crypto_hmac_sha256(cfg->secret, cfg->secret_len, out->data + start,
				   out->len - start, mac);
		rc = buf_puts(out, ".") == 0 && crypto_b64url_encode(out, mac, SHA256_LEN) == 0 ? 0 : -1;
	}
	free(payload);
	return rc;
}
