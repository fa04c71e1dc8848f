-- wrk script of bench/pages.py: every request a different target, read from a file.
--   PAGES_TARGETS  file of request paths, one a line (with PAGES_METHOD=POST: form bodies
--                  posted to the URL wrk was given)
--   PAGES_OFFSET   first line to use, so the next run takes fresh targets
--   PAGES_STRIDE   wrk's thread count (-t): thread i takes lines offset+i, +stride, ...
--   PAGES_COOKIE   Cookie header (a signed-in session; FlaskBB's search form session)
-- Prints one RESULT line: req/s, p50/p95/p99 in ms, requests, non-200 answers, socket errors.
local targets = {}
for line in io.lines(os.getenv("PAGES_TARGETS")) do targets[#targets + 1] = line end
local method = os.getenv("PAGES_METHOD") or "GET"
local offset = tonumber(os.getenv("PAGES_OFFSET") or "0")
local stride = tonumber(os.getenv("PAGES_STRIDE") or "1")
local headers = {}
if os.getenv("PAGES_COOKIE") then headers["Cookie"] = os.getenv("PAGES_COOKIE") end
if method == "POST" then
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Referer"] = os.getenv("PAGES_REFERER")
end

local threads = {}
function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
  position = offset + number
end

function request()
  local target = targets[(position % #targets) + 1]
  position = position + stride
  if method == "POST" then return wrk.format("POST", nil, headers, target) end
  return wrk.format("GET", target, headers)
end

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non200") end
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f p50=%.2f p95=%.2f p99=%.2f requests=%d non200=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.requests, bad,
    e.connect + e.read + e.write + e.timeout))
end
