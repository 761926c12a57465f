-- wrk script of scripts/bench.py: optional rotation over the paths listed in a file (one per
-- line), and a one-line JSON summary at the end. With a second argument "spread", each thread
-- starts at its own share of the list (thread k of n at k/n), so that no two requests of a run
-- ask for the same path until the list is used up.
local paths = nil
local counter = 0
local threads = 0

function setup(thread)
  thread:set("index", threads)
  threads = threads + 1
end

function init(args)
  if args[1] then
    paths = {}
    for line in io.lines(args[1]) do
      if line ~= "" then table.insert(paths, line) end
    end
    if args[2] == "spread" and wrk.thread:get("index") then
      counter = math.floor(wrk.thread:get("index") * #paths / tonumber(args[3]))
    else
      counter = math.random(#paths)
    end
  end
end

function request()
  if paths then
    counter = counter % #paths + 1
    return wrk.format(nil, paths[counter])
  end
  return wrk.format(nil)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
