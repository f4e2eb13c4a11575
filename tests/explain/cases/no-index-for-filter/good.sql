-- bkgen-explain: --set enable_seqscan=off
SELECT * FROM t WHERE r = 4242 AND cat = 5;
