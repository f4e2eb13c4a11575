-- bkgen-explain: --analyze --set work_mem=64kB --set enable_sort=off
SELECT pad, count(*) FROM t WHERE r < 100000 GROUP BY pad;
