#include "acme_payments.h"

static const char *name = "acme-payments";

int acme_payments_main(void)
{
	struct AcmePayments app = { ACME_PAYMENTS_PORT };
	// bkgen:if db=postgres
	app.db = "postgres://localhost/acme_payments";
	// bkgen:endif
	/* bkgen:if db=sqlite */
	app.db = "sqlite:acme_payments.db";
	/* bkgen:endif */
	return acmePaymentsRun(&app, name);
}
