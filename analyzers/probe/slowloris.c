/*
 * The slow-headers check, on a raw socket (libcurl cannot stall mid-way
 * through its own request): connect, send a request line and half a
 * header, then send nothing more. A server with a header or idle timeout
 * closes the connection; one without keeps it open forever, which is
 * what a slowloris client exploits. Plain HTTP only.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "probe/probe-int.h"

static int connect_to(const char *host, int port, struct bk_buf *why)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char service[16];
	int fd = -1, rc;

	snprintf(service, sizeof(service), "%d", port);
	if ((rc = getaddrinfo(host, service, &hints, &res))) {
		bk_buf_printf(why, "cannot resolve '%s': %s", host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol)) < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen)) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		bk_buf_printf(why, "cannot connect to %s:%d: %s", host, port, strerror(errno));
	return fd;
}

/* Wait until the peer closes (1), the deadline passes (0), or an error (1). */
static int wait_for_close(int fd, uint64_t deadline_ns)
{
	char buf[4096];

	for (;;) {
		uint64_t now = bk_now_ns();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int left_ms, n;

		if (now >= deadline_ns)
			return 0;
		left_ms = (int)((deadline_ns - now) / 1000000) + 1;
		n = poll(&pfd, 1, left_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? 0 : 1;
		ssize_t got = recv(fd, buf, sizeof(buf), 0);
		if (got <= 0 && !(got < 0 && errno == EINTR))
			return 1;
	}
}

enum bk_probe_outcome probe_slow_headers(struct bk_probe *p, struct bk_buf *why)
{
	struct bk_err err = { 0 };
	struct bk_buf req = BK_BUF_INIT;
	enum bk_probe_outcome out = BK_PROBE_FAIL;
	char *host = NULL;
	int port, tls, fd = -1;
	uint64_t t0;

	bk_buf_reset(&p->where);
	bk_buf_puts(&p->where, p->opts->url);
	if (bk_http_url_parts(p->opts->url, &host, &port, &tls, &err)) {
		bk_buf_puts(why, err.msg);
		goto out;
	}
	if (tls) {
		bk_buf_puts(why, "needs a plain http:// URL (the check stalls inside the request, below TLS)");
		out = BK_PROBE_SKIP;
		goto out;
	}
	if ((fd = connect_to(host, port, why)) < 0)
		goto out;
	bk_buf_printf(&req, "GET /health/live HTTP/1.1\r\nHost: %s\r\nX-Bkgen-Probe: slow", host);
	if (send(fd, req.ptr, req.len, MSG_NOSIGNAL) != (ssize_t)req.len) {
		bk_buf_printf(why, "cannot send: %s", strerror(errno));
		goto out;
	}
	t0 = bk_now_ns();
	if (!wait_for_close(fd, t0 + (uint64_t)(p->opts->slow_timeout_s * 1e9))) {
		bk_buf_printf(why, "a client stalled mid-headers was still connected after %gs (--slow-timeout)",
			      p->opts->slow_timeout_s);
		goto out;
	}
	out = BK_PROBE_PASS;
out:
	if (fd >= 0)
		close(fd);
	free(host);
	bk_buf_release(&req);
	return out;
}
