-- bkgen-explain: --analyze
SELECT id FROM t WHERE cat = 5 AND id % 100 = 5;
