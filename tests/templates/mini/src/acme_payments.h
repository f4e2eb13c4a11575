#ifndef ACME_PAYMENTS_H
#define ACME_PAYMENTS_H
#define ACME_PAYMENTS_PORT 8080
struct AcmePayments { int port; const char *db; };
int acmePaymentsRun(struct AcmePayments *app, const char *name);
#endif
