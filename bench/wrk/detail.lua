-- Authenticated GET /api/v1/residents/{id}, cycling over the ids in WANGGE_IDS_FILE (one a line).
local token = os.getenv("WANGGE_TOKEN")
local ids = {}
for line in io.lines(os.getenv("WANGGE_IDS_FILE")) do
  if line ~= "" then ids[#ids + 1] = line end
end
local n = 0
-- Start each thread at a different offset so the two threads do not move in lockstep.
function setup(thread)
  n = n + 1
  thread:set("offset", n * 37)
end
local i = 0
function init(args)
  i = offset or 0
end
function request()
  i = i + 1
  local id = ids[(i % #ids) + 1]
  return wrk.format("GET", "/api/v1/residents/" .. id, { ["Authorization"] = "Bearer " .. token })
end
dofile(os.getenv("WRK_REPORT"))
