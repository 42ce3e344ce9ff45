-- POST /api/v1/auth/login with the demo county account (argon2id: slow by design).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"county","password":"Wangge@2026"}'
dofile(os.getenv("WRK_REPORT"))
