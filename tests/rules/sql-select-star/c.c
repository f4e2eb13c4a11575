/* Job queue on SQLite. */
#include <sqlite3.h>
#include <stddef.h>

// bkgen: expect sql-select-star
static const char *SQL_NEXT_JOB = "SELECT * FROM jobs WHERE state = 'ready' ORDER BY id LIMIT 1";

// bkgen: ok sql-select-star
static const char *SQL_COUNT = "SELECT count(*) FROM jobs WHERE state = ?";

static const char *SQL_RETRY =
	// bkgen: expect sql-select-star
	"SELECT j.*, a.attempts "
	"FROM jobs j JOIN attempts a ON a.job_id = j.id "
	"WHERE a.attempts < ?";

int job_claim(sqlite3 *db, sqlite3_stmt **out)
{
	// bkgen: expect sql-select-star
	return sqlite3_prepare_v2(db, "SELECT * "
				      "FROM jobs WHERE state = 'ready'", -1, out, NULL);
}

int job_has_deps(sqlite3 *db, sqlite3_stmt **out)
{
	// bkgen: ok sql-select-star
	return sqlite3_prepare_v2(db, "SELECT id FROM jobs j WHERE EXISTS (SELECT * FROM deps d WHERE d.job_id = j.id)",
				  -1, out, NULL);
}

int job_payload(sqlite3 *db, sqlite3_stmt **out)
{
	// bkgen: ok sql-select-star
	return sqlite3_prepare_v2(db, "SELECT id, payload FROM jobs WHERE id = ?", -1, out, NULL);
}
