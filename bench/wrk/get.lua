-- Authenticated GET of wrk's URL; the bearer token comes from WANGGE_TOKEN.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("WANGGE_TOKEN")
dofile(os.getenv("WRK_REPORT"))
