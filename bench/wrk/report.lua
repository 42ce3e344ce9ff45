-- Shared wrk done() hook: prints one machine-readable line that bench/api_load.sh formats.
-- Latencies from wrk are in microseconds.
function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("WRK_RESULT rps=%.1f p50_us=%d p99_us=%d non2xx=%d requests=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests / secs, latency:percentile(50), latency:percentile(99),
    e.status, summary.requests, e.connect, e.read, e.write, e.timeout))
end
