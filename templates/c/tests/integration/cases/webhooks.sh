provider() { # provider BODY [TIMESTAMP] [SECRET]
	local ts=${2:-$(now)} secret=${3:-$WEBHOOK_SECRET_VALUE}
	req POST /v1/webhooks/provider -H 'Content-Type: application/json' \
		-H "Webhook-Timestamp: $ts" \
		-H "Webhook-Signature: $(python3 "$HERE/sign.py" "$secret" "$ts" "$1")" -d "$1"
}

test_webhooks() {
	local ev="{\"id\":\"evt_1\",\"type\":\"payment.captured\",\"data\":{\"payment_id\":\"$REVIEW_PAY\"}}"
	provider "$ev"
	check "webhook: signed event is processed" json "d == {'status': 'processed'}"
	check "webhook: the payment under review is captured" \
		is "$(psql_q "SELECT status || ' ' || (captured_amount = amount) FROM payments WHERE id = '$REVIEW_PAY'")" "captured true"
	check "webhook: audited as the provider" \
		is "$(psql_q "SELECT count(*) FROM audit_log WHERE actor = 'provider' AND entity_id = '$REVIEW_PAY'")" 1
	provider "$ev"
	check "webhook: replayed event id is acknowledged as duplicate" json "d == {'status': 'duplicate'}"
	check "webhook: replay is not processed again" \
		is "$(psql_q "SELECT count(*) FROM audit_log WHERE actor = 'provider' AND entity_id = '$REVIEW_PAY'")" 1
	provider "$ev" "$(now)" wrong-secret-000000
	check "webhook: wrong signature is 401" problem 401 invalid-signature
	provider "$ev" $(($(now) - 301))
	check "webhook: timestamp older than 5 minutes is 401" problem 401 invalid-signature
	check "webhook: says why" json "'window' in d['detail']"
	req POST /v1/webhooks/provider -H 'Content-Type: application/json' -d "$ev"
	check "webhook: missing signature headers is 401" problem 401 invalid-signature
	provider '{"id":"evt_2","type":"customer.updated"}'
	check "webhook: unknown type is stored and ignored" json "d == {'status': 'ignored'}"
	provider "{\"id\":\"evt_3\",\"type\":\"payment.failed\",\"data\":{\"payment_id\":\"$REVIEW_PAY2\"}}"
	check "webhook: payment.failed fails a payment under review" \
		is "$(psql_q "SELECT status FROM payments WHERE id = '$REVIEW_PAY2'")" failed
	provider '{"type":"x"}'
	check "webhook: event without id is 422" problem 422 validation-error
	check "webhook: every event stored once" is "$(psql_q 'SELECT count(*) FROM webhook_events')" 3
}
