/* The route table and what runs before a handler: 404/405, rate limiting,
 * authentication and scope, content type. */
#ifndef ROUTER_H
#define ROUTER_H

#include "http.h"

struct app;

void router_dispatch(struct app *app, struct request *req);

#endif
