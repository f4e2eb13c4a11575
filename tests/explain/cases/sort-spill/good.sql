-- bkgen-explain: --analyze --set work_mem=64MB
SELECT * FROM t WHERE r < 100000 ORDER BY pad;
