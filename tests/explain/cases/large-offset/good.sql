-- bkgen-explain: --analyze
SELECT * FROM pgbench_accounts WHERE aid > 50000 ORDER BY aid LIMIT 10;
