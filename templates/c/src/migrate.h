/* `acme-payments migrate`: applies migrations/NNNN_name.sql in order.
 * Holds a session advisory lock, so concurrent migrators wait for each
 * other; refuses to run when an applied file changed (checksum); applies
 * all pending files and their schema_migrations rows in one transaction. */
#ifndef MIGRATE_H
#define MIGRATE_H

#include "config.h"
#include "err.h"

int migrate_run(const struct config *cfg, struct err *err);

#endif
