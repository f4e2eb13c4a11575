-- bkgen-explain: --analyze --set work_mem=64kB --set enable_seqscan=off
SELECT count(*) FROM t WHERE r < 100000;
