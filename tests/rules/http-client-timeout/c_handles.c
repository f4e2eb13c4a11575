/* Handles kept in a struct are set up in one function and used in others. */
#include <curl/curl.h>

struct stream_source {
	CURL *curl;
	CURL *probe;
	char *url;
	long timeout;
};

int source_open(struct stream_source *source)
{
	CURL *curl = curl_easy_init();

	if (curl == NULL)
		return -1;
	curl_easy_setopt(curl, CURLOPT_URL, source->url);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, source->timeout);
	source->curl = curl;
	source->probe = curl_easy_init();
	curl_easy_setopt(source->probe, CURLOPT_URL, source->url);
	return 0;
}

int source_keepalive(struct stream_source *source)
{
	/* source->curl got its timeout in source_open. */
	// bkgen: ok http-client-timeout
	return curl_easy_perform(source->curl) == CURLE_OK ? 0 : -1;
}

int source_probe(struct stream_source *source)
{
	/* No handle named probe gets a timeout in this file. */
	// bkgen: expect http-client-timeout
	return curl_easy_perform(source->probe) == CURLE_OK ? 0 : -1;
}
