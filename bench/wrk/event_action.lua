-- POST /api/v1/events/{id}/actions over the ids in WANGGE_IDS_FILE (events in state reported
-- at the token user's grid): every id is taken through accept → start → resolve → verify_pass,
-- one pass of the ids per action, so each request is a legal transition while ids last.
-- Each of wrk's threads works on its own share of the ids.
local token = os.getenv("WANGGE_TOKEN")
local all = {}
for line in io.lines(os.getenv("WANGGE_IDS_FILE")) do
  if line ~= "" then all[#all + 1] = line end
end
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local mine, i
local actions = {
  '{"action":"accept"}',
  '{"action":"start"}',
  '{"action":"resolve","note":"压测办结"}',
  '{"action":"verify_pass"}',
}
function init(args)
  mine = {}
  local nthreads = tonumber(os.getenv("WRK_THREADS") or "2")
  for k = tid, #all, nthreads do mine[#mine + 1] = all[k] end
  i = 0
end
function request()
  local k = i % #mine
  local stage = math.floor(i / #mine) % #actions
  i = i + 1
  return wrk.format("POST", "/api/v1/events/" .. mine[k + 1] .. "/actions",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
    actions[stage + 1])
end
dofile(os.getenv("WRK_REPORT"))
