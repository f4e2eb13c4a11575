package store

import (
	"context"
	"database/sql"
)

// bkgen: expect sql-select-star
const accountByID = `SELECT * FROM accounts WHERE id = $1`

// bkgen: ok sql-select-star
const accountBalance = `SELECT id, balance FROM accounts WHERE id = $1`

type Store struct{ db *sql.DB }

func (s *Store) Transfers(ctx context.Context, accountID int64) (*sql.Rows, error) {
	// bkgen: expect sql-select-star
	return s.db.QueryContext(ctx, "SELECT t.*, a.owner FROM transfers t JOIN accounts a ON a.id = t.account_id WHERE a.id = $1", accountID)
}

func (s *Store) HasTransfers(ctx context.Context, accountID int64) (bool, error) {
	var ok bool
	// bkgen: ok sql-select-star
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS(SELECT * FROM transfers WHERE account_id = $1)`, accountID).Scan(&ok)
	return ok, err
}

func (s *Store) Count(ctx context.Context) (n int64, err error) {
	// bkgen: ok sql-select-star
	err = s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM accounts").Scan(&n)
	return n, err
}

func (s *Store) Audit(ctx context.Context) (*sql.Rows, error) {
	return s.db.QueryContext(ctx, `
		-- bkgen: expect sql-select-star
		SELECT *
		FROM audit_log
		WHERE created_at > now() - interval '1 day'`)
}
