SELECT count(*) FROM t WHERE cat = 5;
