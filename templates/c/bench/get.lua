-- GET /v1/payments/{id}: BENCH_PATH and BENCH_TOKEN come from bench/run.sh.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
wrk.method = "GET"
wrk.path = os.getenv("BENCH_PATH")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
