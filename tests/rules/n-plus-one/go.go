package orders

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/lib/pq"
	"gorm.io/gorm"
)

type Repo struct {
	db   *sql.DB
	pool *pgxpool.Pool
	orm  *gorm.DB
}

func (r *Repo) WithCustomers(ctx context.Context, orders []Order) error {
	for i := range orders {
		// bkgen: expect n-plus-one
		err := r.db.QueryRowContext(ctx, `SELECT name FROM customers WHERE id = $1`, orders[i].CustomerID).Scan(&orders[i].CustomerName)
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *Repo) Lines(ctx context.Context, orderIDs []int64) ([]Line, error) {
	var out []Line
	for _, id := range orderIDs {
		// bkgen: expect n-plus-one
		rows, err := r.pool.Query(ctx, `SELECT sku, qty FROM order_lines WHERE order_id = $1`, id)
		if err != nil {
			return nil, err
		}
		lines, err := pgx.CollectRows(rows, pgx.RowToStructByName[Line])
		if err != nil {
			return nil, err
		}
		out = append(out, lines...)
	}
	return out, nil
}

func (r *Repo) Authors(posts []Post) {
	for i := range posts {
		// bkgen: expect n-plus-one
		r.orm.Where("id = ?", posts[i].AuthorID).First(&posts[i].Author)
	}
}

func (r *Repo) Tags(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM articles WHERE published`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		// bkgen: expect n-plus-one
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET indexed_at = now() WHERE id = $1`, id); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (r *Repo) Save(items []Item) {
	for _, it := range items {
		// bkgen: expect n-plus-one
		r.orm.Create(&it)
	}
}

// --- not N+1 ---------------------------------------------------------------

func (r *Repo) WithCustomersBatched(ctx context.Context, ids []int64) (map[int64]string, error) {
	// bkgen: ok n-plus-one
	rows, err := r.db.QueryContext(ctx, `SELECT id, name FROM customers WHERE id = ANY($1)`, pq.Array(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		// bkgen: ok n-plus-one
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		names[id] = name
	}
	return names, rows.Err()
}

func (r *Repo) AuthorsPreloaded(posts *[]Post) error {
	// bkgen: ok n-plus-one
	return r.orm.Preload("Author").Find(posts).Error
}

func (r *Repo) ArchiveChunks(chunks [][]int64) {
	for _, chunk := range chunks {
		// bkgen: ok n-plus-one
		r.orm.Model(&Order{}).Where("id IN ?", chunk).Update("archived", true)
	}
}

func (r *Repo) InsertBatch(ctx context.Context, items []Item) error {
	batch := &pgx.Batch{}
	for _, it := range items {
		// bkgen: ok n-plus-one
		batch.Queue(`INSERT INTO items (sku, qty) VALUES ($1, $2)`, it.SKU, it.Qty)
	}
	return r.pool.SendBatch(ctx, batch).Close()
}

func (r *Repo) Hooks(kinds []string) map[string]func(context.Context) error {
	hooks := map[string]func(context.Context) error{}
	for _, k := range kinds {
		kind := k
		// bkgen: ok n-plus-one
		hooks[kind] = func(ctx context.Context) error {
			_, err := r.db.ExecContext(ctx, `DELETE FROM events WHERE kind = $1`, kind)
			return err
		}
	}
	return hooks
}

func (r *Repo) Poll(ctx context.Context) {
	for {
		var id int64
		// bkgen: ok n-plus-one
		if err := r.db.QueryRowContext(ctx, `SELECT id FROM jobs WHERE done = false LIMIT 1 FOR UPDATE SKIP LOCKED`).Scan(&id); err != nil {
			return
		}
		process(id)
	}
}

// GORM v1 associations: Related and Association finishers query per item.
func (a *ArticleModel) LoadComments(tx *gorm.DB) {
	tx.Model(a).Related(&a.Comments, "Comments")
	for i := range a.Comments {
		// bkgen: expect n-plus-one
		tx.Model(&a.Comments[i]).Related(&a.Comments[i].Author, "Author")
	}
}

func (a *ArticleModel) LoadCommentsPreloaded(tx *gorm.DB) {
	// bkgen: ok n-plus-one
	tx.Preload("Comments.Author").First(a, a.ID)
}

func TagAll(db *gorm.DB, users []User, tag Tag) {
	for i := range users {
		// bkgen: expect n-plus-one
		db.Model(&users[i]).Association("Tags").Append(&tag)
	}
}

func Truncate(ctx context.Context, db *sql.DB) error {
	// DDL per table is schema work, and a loop over a literal list is bounded
	for _, table := range []string{"sessions", "events", "jobs"} {
		// bkgen: ok n-plus-one
		if _, err := db.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return err
		}
	}
	for _, v := range versions {
		// bkgen: ok n-plus-one
		if _, err := db.ExecContext(ctx, `TRUNCATE schema_version`); err != nil {
			return err
		}
		// bkgen: expect n-plus-one
		if _, err := db.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, v); err != nil {
			return err
		}
	}
	return nil
}
