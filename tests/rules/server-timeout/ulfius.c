/*
 * ulfius passes the instance's `timeout` field to libmicrohttpd as
 * MHD_OPTION_CONNECTION_TIMEOUT; ulfius_init_instance sets it to 0, which
 * means no timeout.
 */
#include <ulfius.h>

struct config {
  struct _u_instance *instance;
  struct _u_instance *instance_metrics;
  struct _u_instance *instance_admin;
  unsigned int timeout;
};

static int callback_health(const struct _u_request *request, struct _u_response *response,
                           void *user_data)
{
  ulfius_set_string_body_response(response, 200, "ok");
  return U_CALLBACK_CONTINUE;
}

int run_public(void)
{
  struct _u_instance instance;

  if (ulfius_init_instance(&instance, 8080, NULL, NULL) != U_OK)
    return 1;
  ulfius_add_endpoint_by_val(&instance, "GET", "/health", NULL, 0, &callback_health, NULL);
  // bkgen: expect server-timeout
  return ulfius_start_framework(&instance) != U_OK;
}

int run_configured(struct config *config, const char *key, const char *cert)
{
  // bkgen: expect server-timeout
  if (ulfius_start_secure_framework(config->instance, key, cert) != U_OK)
    return 1;
  /* Assigning 0 keeps the instance without a timeout. */
  config->instance_metrics->timeout = 0;
  // bkgen: expect server-timeout
  return ulfius_start_framework(config->instance_metrics) != U_OK;
}

int run_bounded(void)
{
  struct _u_instance bounded;

  if (ulfius_init_instance(&bounded, 8081, NULL, NULL) != U_OK)
    return 1;
  bounded.timeout = 30;
  // bkgen: ok server-timeout
  return ulfius_start_framework(&bounded) != U_OK;
}

int run_admin(struct config *config)
{
  config->instance_admin->timeout = config->timeout;
  // bkgen: ok server-timeout
  return ulfius_start_framework(config->instance_admin) != U_OK;
}
