-- sqlc queries for the authors service.
CREATE TABLE authors (
  id   BIGSERIAL PRIMARY KEY,
  name text NOT NULL,
  bio  text
);

-- name: GetAuthor :one
SELECT * FROM authors
WHERE id = $1 LIMIT 1;

-- name: ListAuthors :many
SELECT * FROM authors
ORDER BY name;

-- name: CreateAuthor :one
INSERT INTO authors (name, bio)
VALUES (sqlc.arg(name), sqlc.narg('bio'))
RETURNING *;

-- name: UpdateAuthorBio :exec
UPDATE authors SET bio = @bio WHERE id = @id AND name <> 'a;b';

SET search_path TO public;

-- name: DeleteAuthors :exec
DELETE FROM authors WHERE id = ANY(sqlc.slice(ids)::bigint[]);

BEGIN;
/* a report */ WITH recent AS (SELECT * FROM authors WHERE id > :min_id)
SELECT count(*) FROM recent;
COMMIT;

VALUES (1), (2);
