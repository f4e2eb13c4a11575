-- bkgen-explain: --set enable_hashjoin=off --set enable_mergejoin=off --set enable_memoize=off --set enable_material=off
SELECT * FROM pgbench_tellers tl JOIN t ON t.cat = tl.tid WHERE tl.tid < 3;
