-- wrk script of scripts/bench.py: optional rotation over the paths listed in a file (one per
-- line), and a one-line JSON summary at the end.
local paths = nil
local counter = 0

function init(args)
  if args[1] then
    paths = {}
    for line in io.lines(args[1]) do
      if line ~= "" then table.insert(paths, line) end
    end
    counter = math.random(#paths)
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
