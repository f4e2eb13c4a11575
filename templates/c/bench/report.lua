-- Shared by the scenarios: one JSON line with throughput, latency and errors.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_s":%.1f,"rps":%.0f,"p50_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,' ..
    '"non_2xx":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
