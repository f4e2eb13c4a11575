-- bkgen-explain: --analyze --set work_mem=64MB --set enable_sort=off
SELECT pad, count(*) FROM t WHERE r < 100000 GROUP BY pad;
