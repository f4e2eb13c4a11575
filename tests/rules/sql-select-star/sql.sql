-- Reporting queries for the analytics replica.
-- SELECT * FROM events;   (don't: events is 40 columns wide)

/*
 * Old version:
 * SELECT * FROM daily_revenue;
 */

-- bkgen: expect sql-select-star
SELECT * FROM daily_revenue WHERE day > current_date - 30;

-- bkgen: ok sql-select-star
SELECT day, revenue, orders FROM daily_revenue WHERE day > current_date - 30;

-- bkgen: ok sql-select-star
SELECT count(*) FROM events WHERE kind = 'checkout';

-- bkgen: ok sql-select-star
SELECT u.id, u.email
FROM users u
WHERE EXISTS (
    SELECT * FROM events e WHERE e.user_id = u.id AND e.kind = 'checkout'
);

-- bkgen: expect sql-select-star
CREATE VIEW active_users AS SELECT u.*, s.last_seen FROM users u JOIN sessions s ON s.user_id = u.id;

-- bkgen: ok sql-select-star
SELECT id FROM users WHERE id IN (SELECT user_id FROM sessions); -- not SELECT * FROM sessions

INSERT INTO events_archive
-- bkgen: expect sql-select-star
SELECT *
FROM events
WHERE created_at < now() - interval '1 year';

-- bkgen: ok sql-select-star
SELECT price * quantity AS line_total FROM order_lines;

-- a set-returning function and a VALUES list have the columns they are given
-- bkgen: ok sql-select-star
SELECT * FROM generate_series(1, 10);

-- bkgen: ok sql-select-star
SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name);

-- bkgen: expect sql-select-star
SELECT DISTINCT e.*
FROM events e;
