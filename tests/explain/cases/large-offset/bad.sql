-- bkgen-explain: --analyze
SELECT * FROM pgbench_accounts ORDER BY aid LIMIT 10 OFFSET (SELECT 50000);
