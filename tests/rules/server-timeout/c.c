#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT 8080

static enum MHD_Result
handle_request(void *cls, struct MHD_Connection *connection, const char *url,
               const char *method, const char *version, const char *upload_data,
               size_t *upload_data_size, void **req_cls)
{
  static const char body[] = "{\"status\":\"ok\"}";
  struct MHD_Response *response;
  enum MHD_Result ret;

  (void) cls; (void) url; (void) version; (void) upload_data;
  (void) upload_data_size; (void) req_cls;
  if (0 != strcmp(method, MHD_HTTP_METHOD_GET))
    return MHD_NO;
  response = MHD_create_response_from_buffer_static(sizeof(body) - 1, body);
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  ret = MHD_queue_response(connection, MHD_HTTP_OK, response);
  MHD_destroy_response(response);
  return ret;
}

struct MHD_Daemon *
start_public(void)
{
  // bkgen: expect server-timeout
  return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
                          PORT, NULL, NULL, &handle_request, NULL,
                          MHD_OPTION_CONNECTION_LIMIT, (unsigned int) 512,
                          MHD_OPTION_END);
}

struct MHD_Daemon *
start_admin(unsigned int timeout_s)
{
  /* The timeout value comes from a variable: still configured. */
  // bkgen: ok server-timeout
  return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD,
                          9090, NULL, NULL, &handle_request, NULL,
                          MHD_OPTION_CONNECTION_TIMEOUT, timeout_s,
                          MHD_OPTION_END);
}

static struct MHD_OptionItem metrics_options[] = {
  { MHD_OPTION_CONNECTION_LIMIT, 64, NULL },
  { MHD_OPTION_CONNECTION_TIMEOUT, 15, NULL },
  { MHD_OPTION_END, 0, NULL }
};

struct MHD_Daemon *
start_metrics(void)
{
  /* Options passed as an MHD_OptionItem table that sets the timeout. */
  // bkgen: ok server-timeout
  return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD,
                          9100, NULL, NULL, &handle_request, NULL,
                          MHD_OPTION_ARRAY, metrics_options,
                          MHD_OPTION_END);
}

int
main(void)
{
  struct MHD_Daemon *pub = start_public();
  struct MHD_Daemon *adm = start_admin(30);
  struct MHD_Daemon *met = start_metrics();
  struct MHD_Daemon *dbg;

  // bkgen: expect server-timeout
  dbg = MHD_start_daemon(MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD, 9999,
                         NULL, NULL, &handle_request, NULL, MHD_OPTION_END);
  if (pub == NULL || adm == NULL || met == NULL || dbg == NULL)
    return EXIT_FAILURE;
  (void) getchar();
  MHD_stop_daemon(dbg);
  MHD_stop_daemon(met);
  MHD_stop_daemon(adm);
  MHD_stop_daemon(pub);
  return EXIT_SUCCESS;
}

static struct MHD_OptionItem upload_options[] = {
  { MHD_OPTION_CONNECTION_LIMIT, 16, NULL },
  { MHD_OPTION_END, 0, NULL }
};

struct MHD_Daemon *
start_uploads(void)
{
  /* The options table does not set MHD_OPTION_CONNECTION_TIMEOUT. */
  // bkgen: expect server-timeout
  return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD,
                          9200, NULL, NULL, &handle_request, NULL,
                          MHD_OPTION_ARRAY, upload_options,
                          MHD_OPTION_END);
}
