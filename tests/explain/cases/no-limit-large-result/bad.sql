SELECT * FROM pgbench_accounts WHERE bid = 1;
