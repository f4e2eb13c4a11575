/* Every route handler. A handler fills req->response; the router has
 * already checked the route, rate limit, credentials and content type. */
#ifndef HANDLERS_H
#define HANDLERS_H

struct app;
struct request;

void health_live(struct app *app, struct request *req);
void health_ready(struct app *app, struct request *req);
void payments_create(struct app *app, struct request *req);
void payments_get(struct app *app, struct request *req);
void payments_list(struct app *app, struct request *req);
void refunds_create(struct app *app, struct request *req);
void webhooks_provider(struct app *app, struct request *req);

#endif
