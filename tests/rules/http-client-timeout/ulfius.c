/*
 * ulfius sends requests with libcurl and sets CURLOPT_TIMEOUT only from the
 * request's `timeout` field, which ulfius_init_request sets to 0 (none).
 */
#include <ulfius.h>

int check_password(const char *url, const char *user, const char *password)
{
	struct _u_request request;
	struct _u_response response;
	int res;

	ulfius_init_request(&request);
	ulfius_init_response(&response);
	request.http_verb = o_strdup("GET");
	request.http_url = o_strdup(url);
	request.auth_basic_user = o_strdup(user);
	request.auth_basic_password = o_strdup(password);
	// bkgen: expect http-client-timeout
	res = ulfius_send_http_request_with_limit(&request, &response, 1, 8);
	res = res == U_OK && response.status == 200;
	ulfius_clean_request(&request);
	ulfius_clean_response(&response);
	return res;
}

int check_password_bounded(const char *url, const char *user, const char *password)
{
	struct _u_request request;
	struct _u_response response;
	int res;

	ulfius_init_request(&request);
	ulfius_init_response(&response);
	request.http_verb = o_strdup("GET");
	request.http_url = o_strdup(url);
	request.auth_basic_user = o_strdup(user);
	request.auth_basic_password = o_strdup(password);
	request.timeout = 10;
	// bkgen: ok http-client-timeout
	res = ulfius_send_http_request_with_limit(&request, &response, 1, 8);
	res = res == U_OK && response.status == 200;
	ulfius_clean_request(&request);
	ulfius_clean_response(&response);
	return res;
}

int notify(const char *url, json_t *body)
{
	struct _u_request req;
	int res;

	ulfius_init_request(&req);
	ulfius_set_request_properties(&req, U_OPT_HTTP_VERB, "POST", U_OPT_HTTP_URL, url,
				      U_OPT_JSON_BODY, body, U_OPT_TIMEOUT, 5, U_OPT_NONE);
	// bkgen: ok http-client-timeout
	res = ulfius_send_http_request(&req, NULL);
	ulfius_clean_request(&req);
	return res;
}

int forward(struct _u_request *req)
{
	/* 0 keeps the request without a timeout. */
	req->timeout = 0;
	// bkgen: expect http-client-timeout
	return ulfius_send_http_request(req, NULL);
}
