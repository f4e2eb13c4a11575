#include <stdio.h>
#include <stdlib.h>
#include <libpq-fe.h>

/* Prints the customer name of every order: one round trip per order. */
int print_customers(PGconn *conn)
{
	PGresult *orders = PQexec(conn, "SELECT id, customer_id FROM orders WHERE NOT shipped");
	if (PQresultStatus(orders) != PGRES_TUPLES_OK) {
		PQclear(orders);
		return -1;
	}
	for (int i = 0; i < PQntuples(orders); i++) {
		const char *params[1] = { PQgetvalue(orders, i, 1) };
		/* bkgen: expect n-plus-one */
		PGresult *c = PQexecParams(conn, "SELECT name FROM customers WHERE id = $1",
					   1, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(c) == PGRES_TUPLES_OK && PQntuples(c) == 1)
			printf("%s %s\n", PQgetvalue(orders, i, 0), PQgetvalue(c, 0, 0));
		PQclear(c);
	}
	PQclear(orders);
	return 0;
}

int mark_shipped(PGconn *conn, char **ids, int n)
{
	int i = 0;
	while (i < n) {
		const char *params[1] = { ids[i] };
		/* bkgen: expect n-plus-one */
		PGresult *r = PQexecPrepared(conn, "mark_shipped", 1, params, NULL, NULL, 0);
		PQclear(r);
		i++;
	}
	return 0;
}

int touch_all(PGconn *conn, char **ids, int n)
{
	int i = 0;
	do {
		const char *params[1] = { ids[i] };
		// bkgen: expect n-plus-one
		if (!PQsendQueryParams(conn, "UPDATE sessions SET seen_at = now() WHERE id = $1", 1, NULL, params, NULL, NULL, 0))
			return -1;
		while (PQgetResult(conn) != NULL)
			;
	} while (++i < n);
	return 0;
}

/* --- not N+1 ------------------------------------------------------------ */

int print_customers_batched(PGconn *conn, const char *id_array)
{
	const char *params[1] = { id_array };
	/* bkgen: ok n-plus-one */
	PGresult *r = PQexecParams(conn, "SELECT id, name FROM customers WHERE id = ANY($1::bigint[])",
				   1, NULL, params, NULL, NULL, 0);
	for (int i = 0; i < PQntuples(r); i++)
		printf("%s %s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
	PQclear(r);
	return 0;
}

int insert_pipelined(PGconn *conn, char **skus, int n)
{
	if (!PQenterPipelineMode(conn))
		return -1;
	for (int i = 0; i < n; i++) {
		const char *params[1] = { skus[i] };
		/* bkgen: ok n-plus-one */
		PQsendQueryParams(conn, "INSERT INTO items (sku) VALUES ($1)", 1, NULL, params, NULL, NULL, 0);
	}
	PQpipelineSync(conn);
	return PQexitPipelineMode(conn);
}

void worker(PGconn *conn)
{
	for (;;) {
		/* bkgen: ok n-plus-one */
		PGresult *r = PQexec(conn, "DELETE FROM queue WHERE id = (SELECT id FROM queue LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING payload");
		if (PQntuples(r) == 0) {
			PQclear(r);
			break;
		}
		handle(PQgetvalue(r, 0, 0));
		PQclear(r);
	}
}

#define EXEC_OR_DIE(conn, sql) do { PGresult *r_ = PQexec(conn, sql); PQclear(r_); } while (0)

void migrate(PGconn *conn)
{
	/* bkgen: ok n-plus-one */
	do { PGresult *r = PQexec(conn, "CREATE TABLE IF NOT EXISTS items (sku text)"); PQclear(r); } while (0);
}
