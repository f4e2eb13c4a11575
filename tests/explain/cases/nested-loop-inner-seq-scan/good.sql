-- bkgen-explain: --set enable_hashjoin=off --set enable_mergejoin=off --set enable_memoize=off --set enable_material=off --set enable_indexscan=off
SELECT * FROM t JOIN pgbench_tellers tl ON tl.tid = t.cat WHERE t.r < 100;
