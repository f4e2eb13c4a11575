-- bkgen-explain: --analyze --set work_mem=64MB --set enable_seqscan=off
SELECT count(*) FROM t WHERE r < 100000;
