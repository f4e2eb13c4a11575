-- POST /v1/payments with a unique Idempotency-Key (and customer) per request,
-- so every request is a real insert: payment, audit row, outbox event and
-- stored response in one transaction.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")

local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

local n = 0
local run = os.getenv("BENCH_RUN")
local auth = "Bearer " .. os.getenv("BENCH_TOKEN")

function request()
  n = n + 1
  local body = string.format('{"amount":%d,"currency":"EUR","customer_id":"bench-%d-%d"}',
                             100 + n % 1000, tid, n)
  return wrk.format("POST", "/v1/payments", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = auth,
    ["Idempotency-Key"] = string.format("bench-%s-%d-%d", run, tid, n),
  }, body)
end
