-- bkgen-explain: --analyze
SELECT id FROM t WHERE r < 5000;
