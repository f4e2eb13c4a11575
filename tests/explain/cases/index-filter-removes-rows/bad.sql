-- bkgen-explain: --analyze
SELECT * FROM t WHERE r < 5000 AND cat = 5;
