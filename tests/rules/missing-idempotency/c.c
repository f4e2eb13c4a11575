#include <microhttpd.h>
#include <ulfius.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orders.h"
#include "payments.h"

static enum MHD_Result
send_json(struct MHD_Connection *connection, unsigned int status, const char *json)
{
  struct MHD_Response *response =
      MHD_create_response_from_buffer(strlen(json), (void *) json, MHD_RESPMEM_MUST_COPY);
  enum MHD_Result ret;

  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  ret = MHD_queue_response(connection, status, response);
  MHD_destroy_response(response);
  return ret;
}

static enum MHD_Result
create_order(struct MHD_Connection *connection, const char *body)
{
  char *json = orders_create_json(body);
  enum MHD_Result ret = send_json(connection, MHD_HTTP_CREATED, json);

  free(json);
  return ret;
}

static enum MHD_Result
create_payment(struct MHD_Connection *connection, const char *body)
{
  const char *key =
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Idempotency-Key");
  const char *cached;

  if (key == NULL)
    return send_json(connection, MHD_HTTP_BAD_REQUEST, "{\"error\":\"Idempotency-Key required\"}");
  cached = payments_cached_response(key);
  if (cached != NULL)
    return send_json(connection, MHD_HTTP_OK, cached);
  return send_json(connection, MHD_HTTP_CREATED, payments_charge_json(key, body));
}

static enum MHD_Result
api_handler(void *cls, struct MHD_Connection *connection, const char *url,
            const char *method, const char *version, const char *upload_data,
            size_t *upload_data_size, void **req_cls)
{
  struct upload *up = *req_cls;

  (void) cls; (void) version;
  if (up == NULL) {
    *req_cls = upload_new();
    return MHD_YES;
  }
  if (*upload_data_size != 0) {
    upload_append(up, upload_data, *upload_data_size);
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (0 == strcmp(method, MHD_HTTP_METHOD_GET))
    return send_json(connection, MHD_HTTP_OK, orders_list_json());
  // bkgen: expect missing-idempotency
  if (0 == strcmp(url, "/orders") && 0 == strcmp(method, MHD_HTTP_METHOD_POST))
    return create_order(connection, up->data);
  // The helper defined above checks the key header.
  // bkgen: ok missing-idempotency
  if (0 == strcmp(url, "/payments") && 0 == strcmp(method, MHD_HTTP_METHOD_POST))
    return create_payment(connection, up->data);
  // The comparison written the other way round.
  // bkgen: expect missing-idempotency
  if (strcmp(url, "/orders/bulk") == 0 && strcmp(method, MHD_HTTP_METHOD_POST) == 0)
    return create_order(connection, up->data);
  // bkgen: ok missing-idempotency
  if (strcmp(url, "/payments/retry") == 0 && strcmp(method, MHD_HTTP_METHOD_POST) == 0)
    return create_payment(connection, up->data);
  // bkgen: expect missing-idempotency
  if (strcasecmp(method, "POST") == 0)
    return create_order(connection, up->data);
  // The helper is defined in another file: not checked from here.
  // bkgen: ok missing-idempotency
  if (0 == strcmp(url, "/refunds") && 0 == strcmp(method, MHD_HTTP_METHOD_POST))
    return payments_refund(connection, up->data);
  // bkgen: expect missing-idempotency
  if (0 == strcasecmp(method, "POST")) {
    char *json = orders_bulk_import_json(up->data);
    enum MHD_Result ret = send_json(connection, MHD_HTTP_ACCEPTED, json);
    free(json);
    return ret;
  }
  return send_json(connection, MHD_HTTP_METHOD_NOT_ALLOWED, "{\"error\":\"method\"}");
}

static enum MHD_Result
webhook_handler(void *cls, struct MHD_Connection *connection, const char *url,
                const char *method, const char *version, const char *upload_data,
                size_t *upload_data_size, void **req_cls)
{
  const char *event_id =
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-Event-Id");

  (void) cls; (void) url; (void) version; (void) upload_data; (void) req_cls;
  // The receiver deduplicates on the sender's event id.
  // bkgen: ok missing-idempotency
  if (0 != strcmp(method, MHD_HTTP_METHOD_POST))
    return MHD_NO;
  *upload_data_size = 0;
  if (orders_event_seen(event_id))
    return send_json(connection, MHD_HTTP_OK, "{}");
  return send_json(connection, MHD_HTTP_ACCEPTED, "{}");
}

static enum MHD_Result
import_handler(void *cls, struct MHD_Connection *connection, const char *url,
               const char *method, const char *version, const char *upload_data,
               size_t *upload_data_size, void **req_cls)
{
  (void) cls; (void) url; (void) version; (void) upload_data; (void) req_cls;
  // bkgen: expect missing-idempotency
  if (strcmp(method, "POST"))
    return MHD_NO;
  *upload_data_size = 0;
  return send_json(connection, MHD_HTTP_ACCEPTED, orders_import_json());
}

// ---- ulfius ----

static int
callback_add_key(const struct _u_request *request, struct _u_response *response, void *user_data)
{
  (void) user_data;
  json_t *key = keys_insert(ulfius_get_json_body_request(request, NULL));
  ulfius_set_json_body_response(response, 201, key);
  json_decref(key);
  return U_CALLBACK_COMPLETE;
}

static int
callback_disable_key(const struct _u_request *request, struct _u_response *response, void *user_data)
{
  (void) user_data;
  keys_set_enabled(u_map_get(request->map_url, "id"), 0);
  ulfius_set_empty_body_response(response, 204);
  return U_CALLBACK_COMPLETE;
}

static void
register_key_endpoints(struct _u_instance *instance)
{
  ulfius_add_endpoint_by_val(instance, "GET", "/api", "/key/", 0, &callback_list_keys, NULL);
  // bkgen: expect missing-idempotency
  ulfius_add_endpoint_by_val(instance, "POST", "/api", "/key/", 0, &callback_add_key, NULL);
  // Disabling twice leaves the key disabled.
  // bkgen: ok missing-idempotency
  ulfius_add_endpoint_by_val(instance, "POST", "/api", "/key/:id/disable", 0, &callback_disable_key, NULL);
}

// A plain string compare outside an MHD handler is not a route.
static int
is_post_line(const char *request_line)
{
  // bkgen: ok missing-idempotency
  if (0 == strncmp(request_line, "POST", 4)) {
    fputs("post\n", stderr);
    return 1;
  }
  return 0;
}

int
main(void)
{
  struct MHD_Daemon *api =
      MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 8080, NULL, NULL,
                       &api_handler, NULL,
                       MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) 30,
                       MHD_OPTION_END);
  struct MHD_Daemon *hooks =
      MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 8081, NULL, NULL,
                       &webhook_handler, NULL,
                       MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) 30,
                       MHD_OPTION_END);
  struct MHD_Daemon *imports =
      MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 8082, NULL, NULL,
                       &import_handler, NULL,
                       MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) 30,
                       MHD_OPTION_END);

  if (api == NULL || hooks == NULL || imports == NULL)
    return EXIT_FAILURE;
  (void) is_post_line("GET / HTTP/1.1");
  (void) getchar();
  MHD_stop_daemon(imports);
  MHD_stop_daemon(hooks);
  MHD_stop_daemon(api);
  return EXIT_SUCCESS;
}
