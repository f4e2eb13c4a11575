-- bkgen-explain: --analyze --set work_mem=64kB
SELECT count(*) FROM t JOIN pgbench_accounts a ON a.aid = t.id;
