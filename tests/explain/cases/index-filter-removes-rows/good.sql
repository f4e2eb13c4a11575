-- bkgen-explain: --analyze
SELECT * FROM t WHERE r < 5000;
