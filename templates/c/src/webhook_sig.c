#include "webhook_sig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

static const char *const webhook_sig_messages[] = {
	[WEBHOOK_SIG_OK] = "valid",
	[WEBHOOK_SIG_MISSING] = "Webhook-Timestamp and Webhook-Signature headers are required",
	[WEBHOOK_SIG_BAD_TIMESTAMP] = "Webhook-Timestamp must be unix seconds",
	[WEBHOOK_SIG_EXPIRED] = "Webhook-Timestamp is outside the accepted window",
	[WEBHOOK_SIG_MISMATCH] = "no Webhook-Signature value matches",
};

const char *webhook_sig_message(enum webhook_sig_status st)
{
	return webhook_sig_messages[st];
}

static void webhook_sig_mac(const char *secret, const char *timestamp, const char *body,
			    size_t body_len, char hex[2 * SHA256_LEN + 1])
{
	unsigned char mac[SHA256_LEN];
	char prefix[32];
	int n = snprintf(prefix, sizeof(prefix), "%s.", timestamp);

	crypto_hmac_sha256_2(secret, strlen(secret), prefix, (size_t)n, body, body_len, mac);
	crypto_hex(mac, SHA256_LEN, hex);
}

void webhook_sig_sign(const char *secret, const char *timestamp, const char *body,
		      size_t body_len, char out[WEBHOOK_SIG_HEADER_MAX])
{
	char hex[2 * SHA256_LEN + 1];

	webhook_sig_mac(secret, timestamp, body, body_len, hex);
	snprintf(out, WEBHOOK_SIG_HEADER_MAX, "v1=%s", hex);
}

static int webhook_sig_parse_ts(const char *s, long long *out)
{
	char *end;
	long long v;

	if (s[0] < '0' || s[0] > '9' || strlen(s) > 12)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* 1 when one comma-separated "v1=<hex>" item of header equals want. */
static int webhook_sig_any_matches(const char *header, const char *want)
{
	const char *p = header;
	size_t want_len = strlen(want);
	int match = 0;

	while (*p) {
		size_t n;

		while (*p == ' ')
			p++;
		n = strcspn(p, ",");
		if (n == 3 + want_len && strncmp(p, "v1=", 3) == 0)
			match |= crypto_equal(p + 3, want, want_len);
		p += n + (p[n] == ',');
	}
	return match;
}

enum webhook_sig_status webhook_sig_verify(const char *secret, const char *timestamp,
					   const char *signature_header, const char *body,
					   size_t body_len, long long now, long tolerance_s)
{
	char hex[2 * SHA256_LEN + 1];
	long long ts;

	if (timestamp == NULL || signature_header == NULL)
		return WEBHOOK_SIG_MISSING;
	if (webhook_sig_parse_ts(timestamp, &ts) != 0)
		return WEBHOOK_SIG_BAD_TIMESTAMP;
	if (ts < now - tolerance_s || ts > now + tolerance_s)
		return WEBHOOK_SIG_EXPIRED;
	webhook_sig_mac(secret, timestamp, body, body_len, hex);
	return webhook_sig_any_matches(signature_header, hex) ? WEBHOOK_SIG_OK : WEBHOOK_SIG_MISMATCH;
}
