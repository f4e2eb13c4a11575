/* Small wrappers over OpenSSL's libcrypto: HMAC-SHA256, SHA-256, base64url,
 * hex, constant-time comparison and random bytes. The only file that
 * includes OpenSSL headers. */
#ifndef CRYPTO_H
#define CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SHA256_LEN 32

void crypto_hmac_sha256(const void *key, size_t key_len, const void *data,
			size_t len, unsigned char out[SHA256_LEN]);
/* HMAC over the concatenation a || b (saves building "timestamp.body"). */
void crypto_hmac_sha256_2(const void *key, size_t key_len, const void *a,
			  size_t a_len, const void *b, size_t b_len,
			  unsigned char out[SHA256_LEN]);
void crypto_sha256_hex(const void *data, size_t len, char out[2 * SHA256_LEN + 1]);
void crypto_hex(const unsigned char *in, size_t len, char *out /* 2*len+1 */);
/* 1 when equal; time depends on the length only. */
int crypto_equal(const void *a, const void *b, size_t len);
int crypto_random(void *out, size_t len);
uint32_t crypto_random_u32(void);

int crypto_b64url_encode(struct buf *out, const void *data, size_t len);
/* Strict: unpadded base64url only. 0, or -1 on any invalid character. */
int crypto_b64url_decode(struct buf *out, const char *s, size_t len);

#endif
