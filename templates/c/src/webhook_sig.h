/* Webhook signatures, both directions:
 *   Webhook-Timestamp: <unix seconds>
 *   Webhook-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>[,v1=...]
 * Several v1 values may be listed (secret rotation); one match is enough. */
#ifndef WEBHOOK_SIG_H
#define WEBHOOK_SIG_H

#include <stddef.h>

#define WEBHOOK_SIG_HEADER_MAX 80 /* "v1=" + 64 hex + NUL, rounded up */

enum webhook_sig_status {
	WEBHOOK_SIG_OK,
	WEBHOOK_SIG_MISSING,
	WEBHOOK_SIG_BAD_TIMESTAMP,
	WEBHOOK_SIG_EXPIRED,
	WEBHOOK_SIG_MISMATCH,
};

/* Writes "v1=<hex>" for timestamp and body. */
void webhook_sig_sign(const char *secret, const char *timestamp, const char *body,
		      size_t body_len, char out[WEBHOOK_SIG_HEADER_MAX]);
enum webhook_sig_status webhook_sig_verify(const char *secret, const char *timestamp,
					   const char *signature_header, const char *body,
					   size_t body_len, long long now, long tolerance_s);
const char *webhook_sig_message(enum webhook_sig_status st);

#endif
