-- Shared by the benchmark's wrk scripts (loaded with dofile from the repository root).
-- The orchestrator passes everything through the environment:
--   BENCH_COOKIE  the Cookie header (session and/or CSRF cookie)
--   BENCH_EXPECT  the status every response must have (200 for pages, 302 for the POSTs)
-- Each thread counts the responses with the expected status and the others; done() prints
-- one line, "BENCH expected=N unexpected=M", that bench/wrkrun.py reads.

local threads = {}
expected_status = tonumber(os.getenv("BENCH_EXPECT") or "200")
expected = 0
unexpected = 0

local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function response(status, headers, body)
  if status == expected_status then
    expected = expected + 1
  else
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local good, bad = 0, 0
  for _, thread in ipairs(threads) do
    good = good + thread:get("expected")
    bad = bad + thread:get("unexpected")
  end
  io.write(string.format("BENCH expected=%d unexpected=%d\n", good, bad))
end

-- application/x-www-form-urlencoded
function urlencode(text)
  return (string.gsub(text, "[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end
