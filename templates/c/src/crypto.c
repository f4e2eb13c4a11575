#include "crypto.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

static const char b64url_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void crypto_hmac_sha256(const void *key, size_t key_len, const void *data,
			size_t len, unsigned char out[SHA256_LEN])
{
	unsigned int out_len = SHA256_LEN;

	HMAC(EVP_sha256(), key, (int)key_len, data, len, out, &out_len);
}

void crypto_hmac_sha256_2(const void *key, size_t key_len, const void *a,
			  size_t a_len, const void *b, size_t b_len,
			  unsigned char out[SHA256_LEN])
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	char digest[] = "SHA256";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string("digest", digest, 0),
		OSSL_PARAM_construct_end(),
	};
	size_t out_len = 0;

	memset(out, 0, SHA256_LEN);
	if (ctx && EVP_MAC_init(ctx, key, key_len, params) == 1 &&
	    EVP_MAC_update(ctx, a, a_len) == 1 &&
	    EVP_MAC_update(ctx, b, b_len) == 1)
		EVP_MAC_final(ctx, out, &out_len, SHA256_LEN);
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
}

void crypto_hex(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

void crypto_sha256_hex(const void *data, size_t len, char out[2 * SHA256_LEN + 1])
{
	unsigned char md[SHA256_LEN];

	SHA256(data, len, md);
	crypto_hex(md, SHA256_LEN, out);
}

int crypto_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

int crypto_random(void *out, size_t len)
{
	return RAND_bytes(out, (int)len) == 1 ? 0 : -1;
}

uint32_t crypto_random_u32(void)
{
	uint32_t v = 0;

	if (crypto_random(&v, sizeof(v)) != 0)
		v = (uint32_t)(uintptr_t)&v; /* RAND_bytes cannot fail once seeded */
	return v;
}

int crypto_b64url_encode(struct buf *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	char quad[4];

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t n = len - i >= 3 ? 4 : len - i + 1;

		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		quad[0] = b64url_alphabet[(v >> 18) & 63];
		quad[1] = b64url_alphabet[(v >> 12) & 63];
		quad[2] = b64url_alphabet[(v >> 6) & 63];
		quad[3] = b64url_alphabet[v & 63];
		if (buf_append(out, quad, n) != 0)
			return -1;
	}
	return 0;
}

static int b64url_value(char c)
{
	const char *p = c ? strchr(b64url_alphabet, c) : NULL;

	return p ? (int)(p - b64url_alphabet) : -1;
}

int crypto_b64url_decode(struct buf *out, const char *s, size_t len)
{
	uint32_t acc = 0;
	int bits = 0;

	if (len % 4 == 1)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int v = b64url_value(s[i]);
		unsigned char byte;

		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			byte = (unsigned char)(acc >> bits);
			if (buf_append(out, &byte, 1) != 0)
				return -1;
		}
	}
	/* Leftover bits must be zero, so each input has one encoding. */
	if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
		return -1;
	return 0;
}
