package store

import (
	"context"
	"database/sql"
)

func closeRows(rows *sql.Rows) {
	// bkgen: expect silent-catch-strict
	if err := rows.Close(); err != nil {
		// rows were fully read: a close error changes nothing
	}
}

func rollback(tx *sql.Tx) {
	// broad and empty: silent-catch reports it, not this rule
	// bkgen: ok silent-catch-strict
	if err := tx.Rollback(); err != nil {
	}
}

func vacuum(ctx context.Context, db *sql.DB) {
	// bkgen: ok silent-catch-strict
	if _, err := db.ExecContext(ctx, `VACUUM`); err != nil {
		// TODO: log
	}
}
