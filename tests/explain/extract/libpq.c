/* A small libpq client: every PQexec* flavour. */
#include <libpq-fe.h>
#include <stdio.h>

static const char *const list_jobs =
	"SELECT id, state "
	"FROM jobs "
	"WHERE state = $1";

static const char claim_job[] = "UPDATE jobs SET state = 'running', worker = $2\n"
				"WHERE id = $1 AND state = 'queued'";

#define VACUUM_JOBS "VACUUM jobs"

int run(PGconn *conn, const char *state, const char *user_sql)
{
	const char *params[2] = { state, "w1" };
	PGresult *r;
	char buf[256];

	r = PQexec(conn, "BEGIN");
	PQclear(r);
	r = PQexec(conn, "SELECT count(*) FROM jobs WHERE created_at > now() - interval '1 day'");
	PQclear(r);
	r = PQexecParams(conn, list_jobs, 1, NULL, params, NULL, NULL, 0);
	PQclear(r);
	r = PQprepare(conn, "claim", claim_job, 2, NULL);
	PQclear(r);
	r = PQprepare(conn, "done",
		      "UPDATE jobs SET state = 'done' "
		      "WHERE id = $1 /* \"quoted\" */", 1, NULL);
	PQclear(r);
	PQsendQuery(conn, "DELETE FROM jobs WHERE state = 'done' AND finished_at < now() - interval '7 days'");
	PQsendQueryParams(conn, "INSERT INTO job_log (job_id, line) VALUES ($1, $2)", 2, NULL, params, NULL, NULL, 0);
	PQsendPrepare(conn, "log", "SELECT line FROM job_log WHERE job_id = $1\040ORDER BY id", 1, NULL);
	r = PQexec(conn, VACUUM_JOBS);
	PQclear(r);
	snprintf(buf, sizeof(buf), "SELECT * FROM %s", state);
	r = PQexec(conn, buf);                 /* built elsewhere: nothing to report */
	PQclear(r);
	r = PQexec(conn, user_sql);
	PQclear(r);
	r = PQexec(conn, "COMMIT");
	return PQresultStatus(r) == PGRES_COMMAND_OK;
}
