package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
)

type Store struct {
	db  *sql.DB
	log *slog.Logger
}

func (s *Store) CreateOrder(ctx context.Context, o Order) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		// bkgen: expect silent-catch
		if rbErr := tx.Rollback(); rbErr != nil {
		}
	}()
	if _, err := tx.ExecContext(ctx, `INSERT INTO orders (id, total) VALUES ($1, $2)`, o.ID, o.Total); err != nil {
		return fmt.Errorf("insert order: %w", err)
	}
	return tx.Commit()
}

func (s *Store) Close() {
	err := s.db.Close()
	// bkgen: expect silent-catch-strict
	// bkgen: ok silent-catch
	if err != nil {
		// nothing we can do
	}
}

func (s *Store) Touch(ctx context.Context, id string) {
	// bkgen: expect silent-catch
	if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET seen_at = now() WHERE id = $1`, id); err != nil {}
}

func (s *Store) Ping(ctx context.Context) error {
	// bkgen: ok silent-catch
	if err := s.db.PingContext(ctx); err != nil {
		s.log.Error("ping failed", "err", err)
		return err
	}
	return nil
}

func (s *Store) Evict(ctx context.Context, key string) {
	// bkgen: ok silent-catch
	if err := s.cache.Delete(ctx, key); err != nil {
		// bkgen-ignore: silent-catch -- eviction is best effort, the entry expires anyway
	}
}

func (s *Store) Reset(conn *sql.Conn) {
	// bkgen: ok silent-catch
	if conn != nil {
	}
}

func (s *Store) Vacuum(ctx context.Context) {
	// bkgen: expect silent-catch
	if _, err := s.db.ExecContext(ctx, `VACUUM`); err != nil {
		// FIXME
	}
}
