-- Applied by tools/record-plans.sh after `pgbench -i -s 1 --foreign-keys`
-- (pgbench_accounts: 100,000 rows; five foreign keys without an index).
-- Statistics are gathered explicitly, with a sample as large as the table,
-- so that every run plans the same.

-- 1M rows whose r is not correlated with the physical order (pgbench's
-- columns are, which keeps index scans attractive far too long).
CREATE TABLE t AS
	SELECT g AS id, (hashint4(g) & 1048575) AS r, g % 100 AS cat, md5(g::text) AS pad
	FROM generate_series(1, 1000000) g;
CREATE INDEX t_r ON t (r);

-- Index-only scans that still visit the heap: updated after VACUUM, and
-- autovacuum is off, so the visibility map stays stale.
CREATE TABLE u (id int PRIMARY KEY, v int NOT NULL);
INSERT INTO u SELECT g, 0 FROM generate_series(1, 100000) g;
VACUUM ANALYZE u;
UPDATE u SET v = 1 WHERE id % 10 = 0;

-- The same, vacuumed after every write: no heap fetches.
CREATE TABLE u_vacuumed (id int PRIMARY KEY, v int NOT NULL);
INSERT INTO u_vacuumed SELECT g, 0 FROM generate_series(1, 100000) g;

-- Never analysed (nor vacuumed): reltuples = -1 on PostgreSQL 14+.
CREATE TABLE never_analyzed (id int NOT NULL, note text);
INSERT INTO never_analyzed SELECT g, 'note ' || g FROM generate_series(1, 1000) g;

-- A foreign key with an index on its column: the fixed twin of pgbench's.
CREATE TABLE fk_parent (id int PRIMARY KEY);
CREATE TABLE fk_child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES fk_parent (id));
CREATE INDEX fk_child_parent ON fk_child (parent_id);
INSERT INTO fk_parent SELECT g FROM generate_series(1, 100) g;
INSERT INTO fk_child SELECT g, g % 100 + 1 FROM generate_series(1, 1000) g;
ANALYZE fk_parent;
ANALYZE fk_child;

SET default_statistics_target = 10000;
ANALYZE t;
VACUUM ANALYZE u_vacuumed;
