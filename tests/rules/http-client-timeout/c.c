/* Webhook delivery over libcurl. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#define WEBHOOK_TIMEOUT_MS 5000L

struct delivery {
	CURL *curl;
	const char *url;
	long timeout_ms;
};

static size_t discard(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	(void)ptr;
	(void)userdata;
	return size * nmemb;
}

int deliver(const char *url, const char *body)
{
	CURL *h = curl_easy_init();
	CURLcode rc;

	if (!h)
		return -1;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, WEBHOOK_TIMEOUT_MS);
	// bkgen: ok http-client-timeout
	rc = curl_easy_perform(h);
	curl_easy_cleanup(h);
	return rc == CURLE_OK ? 0 : -1;
}

int probe(const char *url)
{
	CURL *h = curl_easy_init();
	CURL *other = curl_easy_init();
	CURLcode rc;

	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(other, CURLOPT_TIMEOUT, 3L);
	// bkgen: expect http-client-timeout
	rc = curl_easy_perform(h);
	curl_easy_cleanup(h);
	curl_easy_cleanup(other);
	return rc == CURLE_OK;
}

int redeliver(struct delivery *d)
{
	curl_easy_setopt(d->curl, CURLOPT_URL, d->url);
	curl_easy_setopt(d->curl, CURLOPT_TIMEOUT_MS, d->timeout_ms);
	// bkgen: ok http-client-timeout
	return curl_easy_perform(d->curl) == CURLE_OK ? 0 : -1;
}

int fetch_forever(CURL *h, const char *url)
{
	curl_easy_setopt(h, CURLOPT_URL, url);
	/* 0 means "never time out" */
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 0L);
	// bkgen: expect http-client-timeout
	if (curl_easy_perform(h) != CURLE_OK) {
		fprintf(stderr, "fetch %s failed\n", url);
		return -1;
	}
	return 0;
}
