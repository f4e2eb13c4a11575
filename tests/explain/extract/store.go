package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jmoiron/sqlx"
)

const userByID = `
SELECT id, email, created_at
  FROM users
 WHERE id = $1`

const (
	countUsers = "SELECT count(*) " +
		"FROM users"
	cacheKey = "users:count"
)

type Store struct {
	db   *sql.DB
	pool *pgxpool.Pool
	x    *sqlx.DB
}

func (s *Store) User(ctx context.Context, id int64) error {
	row := s.db.QueryRowContext(ctx, userByID, id)
	return row.Err()
}

func (s *Store) Count() (int, error) {
	var n int
	err := s.db.QueryRow(countUsers).Scan(&n)
	return n, err
}

func (s *Store) Rename(ctx context.Context, id int64, name string) error {
	_, err := s.db.ExecContext(ctx, "UPDATE users SET name = $2 WHERE id = $1", id, name)
	return err
}

func (s *Store) Legacy(id int64) error {
	_, err := s.db.Exec("DELETE FROM sessions WHERE user_id = ? AND kind = ?", id, "web")
	return err
}

func (s *Store) Prepared(ctx context.Context) (*sql.Stmt, error) {
	return s.db.PrepareContext(ctx, "INSERT INTO audit (user_id, action) VALUES ($1, $2)")
}

func (s *Store) Pgx(ctx context.Context, org string) error {
	rows, err := s.pool.Query(ctx, "SELECT id FROM users WHERE org = $1 AND email LIKE '%\x41%'", org)
	if err != nil {
		return err
	}
	rows.Close()
	q := "SELECT id FROM teams WHERE org = $1"
	_, err = s.pool.Exec(ctx, q, org)
	return err
}

type User struct{ ID int64 }

func (s *Store) Sqlx(ctx context.Context, id int64) ([]User, error) {
	var u User
	if err := s.x.Get(&u, "SELECT * FROM users WHERE id = $1", id); err != nil {
		return nil, err
	}
	var all []User
	err := s.x.SelectContext(ctx, &all, `SELECT * FROM users WHERE org_id = (SELECT org_id FROM users WHERE id = $1)`, id)
	_, _ = s.x.NamedExec(`INSERT INTO users (email, name) VALUES (:email, :name)`, map[string]any{"email": "a", "name": "b"})
	s.x.MustExec("UPDATE users SET active = true")
	return all, err
}

func (s *Store) Dynamic(ctx context.Context, table, order string) error {
	_, err := s.db.Query("SELECT * FROM " + table + " ORDER BY id")
	_, err = s.db.QueryContext(ctx, fmt.Sprintf("SELECT * FROM users ORDER BY %s", order))
	return err
}

func (s *Store) Traps(ctx context.Context, query string, tmpl Template) error {
	_, err := s.db.ExecContext(ctx, query) // a parameter: nothing to report
	tmpl.Exec(cacheKey, nil)                // not SQL
	_ = s.x.Get(&cacheKey, "users")
	return err
}
