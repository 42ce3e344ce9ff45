-- GET of wrk's URL (the KPI call) with the bearer token; each thread stops after
-- WANGGE_CALLS responses (default 100) so that the percentiles cover a fixed number of calls.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("WANGGE_TOKEN")
local limit = tonumber(os.getenv("WANGGE_CALLS") or "100")
local seen = 0
function response(status, headers, body)
  seen = seen + 1
  if seen >= limit then wrk.thread:stop() end
end
dofile(os.getenv("WRK_REPORT"))
