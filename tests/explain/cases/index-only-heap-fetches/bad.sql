-- bkgen-explain: --analyze --set enable_seqscan=off --set enable_bitmapscan=off
SELECT id FROM u WHERE id < 50000;
