SELECT bid, bbalance FROM pgbench_branches WHERE bid = 1;
