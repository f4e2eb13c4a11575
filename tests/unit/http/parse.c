/*
 * The parts of analyzers/probe/http.c that need no server: response header
 * lookup (last header block, case, whitespace) and URL splitting. Requests
 * themselves are covered end to end by tests/e2e/probe.sh.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "probe/http.h"

static void response_with(struct bk_http_response *r, const char *headers)
{
	bk_http_response_init(r);
	bk_buf_puts(&r->headers, headers);
}

Test(http, header_is_case_insensitive_and_trimmed)
{
	struct bk_http_response r;
	struct bk_buf v = BK_BUF_INIT;

	response_with(&r, "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/problem+json\r\n"
		      "Retry-After:   7 \r\nX-Request-Id: abc\r\n\r\n");
	cr_assert_eq(bk_http_header(&r, "Content-Type", &v), 1);
	cr_assert_str_eq(v.ptr, "application/problem+json");
	cr_assert_eq(bk_http_header(&r, "retry-after", &v), 1);
	cr_assert_str_eq(v.ptr, "7");
	cr_assert_eq(bk_http_header(&r, "X-Request", &v), 0, "a prefix is not a header");
	cr_assert_str_eq(v.ptr, "");
	bk_buf_release(&v);
	bk_http_response_release(&r);
}

Test(http, url_parts_default_ports_and_brackets)
{
	struct bk_err err = { 0 };
	char *host = NULL;
	int port = 0, tls = -1;

	cr_assert_eq(bk_http_url_parts("http://127.0.0.1:8080/x", &host, &port, &tls, &err), 0);
	cr_assert_str_eq(host, "127.0.0.1");
	cr_assert_eq(port, 8080);
	cr_assert_eq(tls, 0);
	free(host);
	cr_assert_eq(bk_http_url_parts("https://[::1]", &host, &port, &tls, &err), 0);
	cr_assert_str_eq(host, "::1");
	cr_assert_eq(port, 443);
	cr_assert_eq(tls, 1);
	free(host);
	cr_assert_eq(bk_http_url_parts("ftp://example.com/", &host, &port, &tls, &err), BK_EUSAGE);
	cr_assert(strstr(err.msg, "unsupported scheme"), "%s", err.msg);
	cr_assert_eq(bk_http_url_parts("not a url", &host, &port, &tls, &err), BK_EUSAGE);
}
