-- The one wrk script of ./build.sh bench (run by bench/TaobaoAlliance.Bench, bare app and real app alike,
-- so both pay the same client-side cost). It counts answers by status code (wrk itself only counts
-- "non-2xx or 3xx"), and, by the arguments after `--`:
--   paths=FILE   takes each request's path from FILE, one per line, each used once (CPC click tokens
--                may be redeemed once); when they run out it asks /health and says so at the end
--   tokens=FILE  appends the click token of every ad served to FILE (the smart-zone scenario feeds the
--                CPC one)
--   clients=1    sends each request as from a shopper of its own: X-Forwarded-For with a new loopback
--                address per request (the app trusts the header from 127.0.0.1 only, as behind HAProxy),
--                so the per-IP click limit and the CPC repeat rule see many shoppers, not one wrk
-- At the end it prints one line "BENCH {json}" that the bench parses: wrk's own text is for people.
-- Thread state lives in each thread's Lua state; done() runs in the main one and reads it through
-- the thread objects kept by setup(). Run with -t1: paths are not shared between threads.

local threads = {}
counts = {}
ran_out = false
local paths, next_path, tokens_out, clients = nil, 1, nil, false
local client = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for _, arg in ipairs(args) do
    local key, value = arg:match("^(%w+)=(.*)$")
    if key == "paths" then
      paths = {}
      for line in io.lines(value) do
        if line ~= "" then paths[#paths + 1] = line end
      end
    elseif key == "tokens" then
      tokens_out = io.open(value, "a")
    elseif key == "clients" then
      clients = value == "1"
    end
  end
end

-- 16 million shoppers before the addresses repeat (the header is only ever read by the app). Each run starts at
-- its own place in them: a run right after another on the same database must not meet its shoppers again (the CPC
-- rule charges a shopper once a day per campaign).
local function client_headers()
  if client == 0 then client = (os.time() * 40503) % 16000000 end
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  client = client + 1
  local n = client + 1
  headers["X-Forwarded-For"] = string.format("127.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  return headers
end

function request()
  local headers = clients and client_headers() or nil
  if paths == nil then return wrk.format(nil, nil, headers) end
  local path = paths[next_path]
  next_path = next_path + 1
  if path == nil then
    ran_out = true
    path = "/health"
  end
  return wrk.format(nil, path, headers)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if tokens_out ~= nil and body ~= nil then
    local token = body:match('href="/z/click/([A-Za-z0-9_-]+)"')
    if token ~= nil then
      tokens_out:write(token, "\n")
      tokens_out:flush()
    end
  end
end

function done(summary, latency, requests)
  local statuses, out_of_paths = {}, false
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("counts") or {}) do
      statuses[code] = (statuses[code] or 0) + n
    end
    out_of_paths = out_of_paths or thread:get("ran_out")
  end
  local parts = {}
  for code, n in pairs(statuses) do
    parts[#parts + 1] = string.format('"%d":%d', code, n)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"statuses":{%s},"ran_out":%s}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ","), tostring(out_of_paths)))
end
