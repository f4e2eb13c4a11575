SELECT * FROM pgbench_tellers WHERE bid = 1;
