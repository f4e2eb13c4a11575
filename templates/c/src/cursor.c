#include "cursor.h"

#include <string.h>

#include "crypto.h"

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}

int cursor_valid_uuid(const char *s)
{
	if (s == NULL || strlen(s) != CURSOR_ID_LEN)
		return 0;
	for (int i = 0; i < CURSOR_ID_LEN; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !is_hex(s[i]))
			return 0;
	}
	return 1;
}

static int cursor_valid_ts(const char *s, size_t len)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.ddddddZ";

	if (len != CURSOR_TS_LEN)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
			return 0;
	return 1;
}

int cursor_encode(struct buf *out, const char *created_at, const char *id)
{
	char raw[3 + CURSOR_TS_LEN + 1 + CURSOR_ID_LEN + 1];

	if (!cursor_valid_ts(created_at, strlen(created_at)) || !cursor_valid_uuid(id))
		return -1;
	memcpy(raw, "v1|", 3);
	memcpy(raw + 3, created_at, CURSOR_TS_LEN);
	raw[3 + CURSOR_TS_LEN] = '|';
	memcpy(raw + 4 + CURSOR_TS_LEN, id, CURSOR_ID_LEN);
	return crypto_b64url_encode(out, raw, sizeof(raw) - 1);
}

int cursor_decode(const char *s, struct cursor *out)
{
	struct buf raw;
	int rc = -1;

	buf_init(&raw, CURSOR_MAX_LEN);
	if (s == NULL || strlen(s) > CURSOR_MAX_LEN ||
	    crypto_b64url_decode(&raw, s, strlen(s)) != 0)
		goto out;
	if (raw.len != 4 + CURSOR_TS_LEN + CURSOR_ID_LEN || memcmp(raw.data, "v1|", 3) != 0 ||
	    raw.data[3 + CURSOR_TS_LEN] != '|' || !cursor_valid_ts(raw.data + 3, CURSOR_TS_LEN))
		goto out;
	memcpy(out->created_at, raw.data + 3, CURSOR_TS_LEN);
	out->created_at[CURSOR_TS_LEN] = '\0';
	memcpy(out->id, raw.data + 4 + CURSOR_TS_LEN, CURSOR_ID_LEN);
	out->id[CURSOR_ID_LEN] = '\0';
	if (!cursor_valid_uuid(out->id))
		goto out;
	rc = 0;
out:
	buf_release(&raw);
	return rc;
}
