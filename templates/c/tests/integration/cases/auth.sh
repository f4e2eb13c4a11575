test_auth() {
	req GET /v1/payments
	check "auth: no token is 401" problem 401 unauthorized
	check "auth: 401 carries WWW-Authenticate" grep -q '^Bearer' <<<"$(hdr WWW-Authenticate)"
	req GET /v1/payments -H "$(auth "$(token m1 payments:read -120)")"
	check "auth: expired token is 401" problem 401 unauthorized
	check "auth: says expired" json "'expired' in d['detail']"
	req GET /v1/payments -H "$(auth "$(token m1 payments:read 3600 someone-else)")"
	check "auth: wrong audience is 401" problem 401 unauthorized
	req GET /v1/payments -H "$(auth "$(token m1 payments:read 3600 acme-payments bad)")"
	check "auth: wrong signature is 401" problem 401 unauthorized
	req GET /v1/payments -H "$(auth "$(token m1 payments:read 3600 acme-payments none)")"
	check "auth: alg none is 401" problem 401 unauthorized
	req GET /v1/payments -H "$(auth "$(token m1 payments:read 3600 acme-payments HS256 600)")"
	check "auth: nbf in the future is 401" problem 401 unauthorized
	req GET /v1/payments -H 'Authorization: Bearer not.a.jwt'
	check "auth: garbage token is 401" problem 401 unauthorized
	post_payment "$(token m1 payments:read)" k-ro '{"amount":100,"currency":"EUR","customer_id":"c"}'
	check "auth: read scope cannot write (403)" problem 403 forbidden
	req GET /v1/payments -H "$(auth "$(token m1 payments:write)")"
	check "auth: write scope cannot read (403)" problem 403 forbidden
	req GET /v1/payments -H "$(auth "$(token m1 'payments:read')")"
	check "auth: read scope reads" is "$STATUS" 200
}
