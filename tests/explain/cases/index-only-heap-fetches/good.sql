-- bkgen-explain: --analyze --set enable_seqscan=off --set enable_bitmapscan=off
SELECT id FROM u_vacuumed WHERE id < 50000;
