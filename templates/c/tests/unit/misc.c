/* Small pure helpers: outbox backoff, trace context, base64url, HMAC. */
#include <criterion/criterion.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "outbox.h"
#include "trace.h"

Test(outbox, backoff_doubles_with_equal_jitter_and_a_cap)
{
	cr_assert_eq(outbox_backoff_ms(1, 1000, 60000, 0), 500);
	cr_assert_eq(outbox_backoff_ms(1, 1000, 60000, 500), 1000);
	cr_assert_eq(outbox_backoff_ms(3, 1000, 60000, 0), 2000);
	cr_assert_eq(outbox_backoff_ms(30, 1000, 60000, 0), 30000, "capped at max");
	for (uint32_t r = 0; r < 5000; r += 7) {
		long d = outbox_backoff_ms(4, 1000, 60000, r);
		cr_assert(d >= 4000 && d <= 8000, "%ld", d);
	}
}

Test(trace, continues_a_valid_traceparent)
{
	struct trace t;
	char out[56];

	trace_start(&t, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
	cr_assert_str_eq(t.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
	cr_assert_str_eq(t.parent_id, "00f067aa0ba902b7");
	cr_assert_str_neq(t.span_id, "00f067aa0ba902b7");
	trace_format(&t, out);
	cr_assert_eq(strncmp(out, "00-4bf92f3577b34da6a3ce929d0e0e4736-", 36), 0);
	cr_assert_eq(strlen(out), 55);
}

Test(trace, starts_a_new_trace_for_invalid_headers)
{
	static const char *const bad[] = {
		"00-00000000000000000000000000000000-00f067aa0ba902b7-01",
		"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
		"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
		"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
		"", NULL,
	};
	struct trace t;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_not(trace_parse(bad[i], &t), "accepted %s", bad[i] ? bad[i] : "NULL");
		trace_start(&t, bad[i]);
		cr_assert_eq(strlen(t.trace_id), 32);
		cr_assert_str_eq(t.parent_id, "");
	}
}

Test(trace, request_ids)
{
	char id[REQUEST_ID_MAX + 1];
	char too_long[REQUEST_ID_MAX + 2];

	cr_assert(request_id_valid("abc-DEF_1.2"));
	cr_assert_not(request_id_valid(""));
	cr_assert_not(request_id_valid("a b"));
	cr_assert_not(request_id_valid("a\nb"));
	memset(too_long, 'a', sizeof(too_long) - 1);
	too_long[sizeof(too_long) - 1] = '\0';
	cr_assert_not(request_id_valid(too_long));
	request_id_generate(id);
	cr_assert(request_id_valid(id));
	cr_assert_eq(strlen(id), 32);
}

Test(crypto, base64url_round_trip_and_strictness)
{
	struct buf enc = BUF_INIT, dec = BUF_INIT;
	const unsigned char data[] = { 0xfb, 0xff, 0x00, 0x10, 0x83 };

	cr_assert_eq(crypto_b64url_encode(&enc, data, sizeof(data)), 0);
	cr_assert_str_eq(enc.data, "-_8AEIM");
	cr_assert_eq(crypto_b64url_decode(&dec, enc.data, enc.len), 0);
	cr_assert_eq(dec.len, sizeof(data));
	cr_assert_eq(memcmp(dec.data, data, sizeof(data)), 0);
	buf_reset(&dec);
	cr_assert_eq(crypto_b64url_decode(&dec, "-_8AEIM=", 8), -1, "padding is not base64url");
	cr_assert_eq(crypto_b64url_decode(&dec, "+/8A", 4), -1, "standard alphabet refused");
	cr_assert_eq(crypto_b64url_decode(&dec, "AQ", 2), 0);
	buf_reset(&dec);
	cr_assert_eq(crypto_b64url_decode(&dec, "AB", 2), -1, "non-zero trailing bits refused");
	buf_release(&enc);
	buf_release(&dec);
}

Test(crypto, hmac_sha256_known_vector)
{
	unsigned char mac[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	const char *msg = "The quick brown fox jumps over the lazy dog";

	crypto_hmac_sha256("key", 3, msg, strlen(msg), mac);
	crypto_hex(mac, SHA256_LEN, hex);
	cr_assert_str_eq(hex, "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
	crypto_hmac_sha256_2("key", 3, "The quick ", 10, msg + 10, strlen(msg) - 10, mac);
	crypto_hex(mac, SHA256_LEN, hex);
	cr_assert_str_eq(hex, "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

Test(buf, respects_its_maximum)
{
	struct buf b;

	buf_init(&b, 4);
	cr_assert_eq(buf_puts(&b, "abcd"), 0);
	cr_assert_eq(buf_puts(&b, "e"), -1);
	cr_assert_str_eq(b.data, "abcd");
	buf_release(&b);
	cr_assert_str_eq(b.data, "");
}
