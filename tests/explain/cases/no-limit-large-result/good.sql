SELECT * FROM pgbench_accounts WHERE bid = 1 LIMIT 100;
