-- POST /api/v1/auth/login with a wrong password, each request for another made-up name: the
-- anonymous flood of bench/login_flood.sh. Counts the answers by status in done().
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local i = 0
function request()
  i = i + 1
  return wrk.format(nil, nil, nil,
    string.format('{"username":"guess%d","password":"Wrong#Guess%d"}', i, i))
end
counts = {}  -- global: done() reads it from each thread
function response(status)
  counts[status] = (counts[status] or 0) + 1
end
-- Threads keep their own `counts`; collect them for done().
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for k, v in pairs(c or {}) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, k .. "=" .. v) end
  table.sort(parts)
  io.write(string.format("FLOOD_RESULT requests=%d p99_us=%d statuses=%s\n", summary.requests,
    latency:percentile(99), table.concat(parts, ",")))
end
