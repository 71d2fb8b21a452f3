-- POST /soporte/login: every request logs in for real (one password check, a new session).
-- BENCH_COOKIE carries only the CSRF cookie, never a session; BENCH_CSRF its form token;
-- BENCH_CLINIC_RUT, BENCH_USER_RUT, BENCH_PASSWORD the credentials.
dofile("bench/wrk/common.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "csrfmiddlewaretoken=" .. urlencode(os.getenv("BENCH_CSRF") or "") ..
  "&clinic_rut=" .. urlencode(os.getenv("BENCH_CLINIC_RUT") or "") ..
  "&user_rut=" .. urlencode(os.getenv("BENCH_USER_RUT") or "") ..
  "&password=" .. urlencode(os.getenv("BENCH_PASSWORD") or "")
