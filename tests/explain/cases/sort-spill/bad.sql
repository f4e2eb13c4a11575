-- bkgen-explain: --analyze --set work_mem=64kB
SELECT * FROM t WHERE r < 100000 ORDER BY pad;
