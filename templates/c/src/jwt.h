/* Bearer JWTs, HS256 only: signature (constant time), exp, nbf, aud, iss
 * and scope. Anything but alg HS256 (including "none") is refused. */
#ifndef JWT_H
#define JWT_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"

#define JWT_MAX_LEN 4096
#define JWT_SUB_MAX 64

struct jwt_config {
	const char *secret;
	size_t secret_len;
	const char *audience;
	const char *issuer; /* "" or NULL: not checked */
	long leeway_s;
};

struct jwt_claims {
	char sub[JWT_SUB_MAX + 1];
	char scope[512];
};

enum jwt_status {
	JWT_OK,
	JWT_MALFORMED,
	JWT_BAD_ALGORITHM,
	JWT_BAD_SIGNATURE,
	JWT_EXPIRED,
	JWT_NOT_YET_VALID,
	JWT_BAD_AUDIENCE,
	JWT_BAD_ISSUER,
	JWT_BAD_SUBJECT,
};

enum jwt_status jwt_verify(const struct jwt_config *cfg, const char *token,
			   long long now, struct jwt_claims *out);
const char *jwt_status_message(enum jwt_status status);
/* 1 when the space-separated scope claim contains scope exactly. */
int jwt_has_scope(const struct jwt_claims *claims, const char *scope);
/* Signs claims (not taken) with HS256 into out. */
int jwt_sign(const struct jwt_config *cfg, const json_t *claims, struct buf *out);

#endif
