-- bkgen-explain: --analyze
SELECT id FROM t WHERE cat <> 5;
