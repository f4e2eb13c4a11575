#include <criterion/criterion.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "cursor.h"

#define TS "2024-05-01T12:00:00.123456Z"
#define ID "0b6f7c1e-3a52-4d9c-9a55-1c2e3f4a5b6c"

Test(cursor, round_trips)
{
	struct buf b = BUF_INIT;
	struct cursor c;

	cr_assert_eq(cursor_encode(&b, TS, ID), 0);
	cr_assert_eq(cursor_decode(b.data, &c), 0);
	cr_assert_str_eq(c.created_at, TS);
	cr_assert_str_eq(c.id, ID);
	cr_assert_eq(strspn(b.data, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
		     b.len, "cursor must be URL-safe: %s", b.data);
	buf_release(&b);
}

Test(cursor, encode_refuses_malformed_parts)
{
	struct buf b = BUF_INIT;

	cr_assert_eq(cursor_encode(&b, "2024-05-01 12:00:00", ID), -1);
	cr_assert_eq(cursor_encode(&b, TS, "not-a-uuid"), -1);
	cr_assert_eq(b.len, 0);
}

static void assert_rejected(const char *raw)
{
	struct buf b = BUF_INIT;
	struct cursor c;

	crypto_b64url_encode(&b, raw, strlen(raw));
	cr_assert_eq(cursor_decode(b.data, &c), -1, "accepted %s", raw);
	buf_release(&b);
}

Test(cursor, decode_rejects_anything_not_encoded_by_us)
{
	struct cursor c;

	assert_rejected("v2|" TS "|" ID);
	assert_rejected("v1|" TS "|" ID "x");
	assert_rejected("v1|2024-05-01T12:00:00.12345Z|" ID);
	assert_rejected("v1|" TS "|0b6f7c1e-3a52-4d9c-9a55-1c2e3f4a5b6G");
	assert_rejected("v1|" TS "'; DROP TABLE payments;--");
	cr_assert_eq(cursor_decode("!!!", &c), -1);
	cr_assert_eq(cursor_decode("", &c), -1);
	cr_assert_eq(cursor_decode(NULL, &c), -1);
}

Test(cursor, decode_rejects_overlong_input)
{
	char long_input[400];
	struct cursor c;

	memset(long_input, 'A', sizeof(long_input) - 1);
	long_input[sizeof(long_input) - 1] = '\0';
	cr_assert_eq(cursor_decode(long_input, &c), -1);
}

Test(cursor, uuid_check)
{
	cr_assert(cursor_valid_uuid(ID));
	cr_assert_not(cursor_valid_uuid("0B6F7C1E-3A52-4D9C-9A55-1C2E3F4A5B6C"));
	cr_assert_not(cursor_valid_uuid("0b6f7c1e3a524d9c9a551c2e3f4a5b6c"));
	cr_assert_not(cursor_valid_uuid(NULL));
}
