-- POST /api/v1/events as the bearer token's user (the demo grid worker: the event lands on the
-- worker's own grid). Titles are numbered per thread so every report is distinct.
local token = os.getenv("WANGGE_TOKEN")
local cats = { "sanitation", "dispute", "infra.road", "public_order", "other" }
local n = 0
function setup(thread)
  n = n + 1
  thread:set("tid", n)
end
local i = 0
function request()
  i = i + 1
  local body = string.format(
    '{"category":"%s","title":"压测上报 %d-%d","description":"压测","people_affected":%d}',
    cats[(i % #cats) + 1], tid or 0, i, i % 50)
  return wrk.format("POST", "/api/v1/events",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
dofile(os.getenv("WRK_REPORT"))
