-- wrk script for bench/hot-path.sh. Set by the environment:
--   BENCH_TOKEN      API key (Authorization: Bearer)
--   BENCH_METHOD     GET, POST or PUT
--   BENCH_PATH       request path
--   BENCH_BODY_FILE  optional: file holding the JSON body
--   BENCH_STORE_NAMES  optional: for PUT, BENCH_BODY_FILE holds one body per line, this many per wrk
--                      thread (thread 1's first), each sealed for its own name; every request takes the
--                      thread's next one (so concurrent stores do not all hit one secret)
-- Counts answers outside 2xx (response hook) and ends with one line:
--   RESULT <requests/s> <p50 ms> <p99 ms> <non-2xx> <socket errors> <requests>
local token = os.getenv("BENCH_TOKEN")
local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH")
local body_file = os.getenv("BENCH_BODY_FILE")
local names = tonumber(os.getenv("BENCH_STORE_NAMES") or "0")

local body = nil
local bodies = {}
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "r"))
  body = f:read("*a")
  f:close()
  for line in body:gmatch("[^\n]+") do
    table.insert(bodies, line)
  end
end
local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }

local threads = {}
local counter = 1
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  sequence = 0
  fixed = wrk.format(method, path, headers, body)
end

function request()
  if names > 0 and body then
    sequence = sequence + 1
    return wrk.format(method, path, headers, bodies[(id - 1) * names + (sequence % names) + 1])
  end
  return fixed
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, bad, socket, summary.requests))
end
