-- bkgen-explain: --set enable_seqscan=off
SELECT * FROM t WHERE cat = 5;
