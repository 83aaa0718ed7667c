-- wrk script of `cargo xtask bench`: submissions measured with a client that costs the
-- machine little, so the server is what is measured. Each thread sends its share of the
-- prepared bodies (one complaint with 3 fresh evidence ids a line, from load.mjs) once,
-- each under its own Idempotency-Key, then stops; `done` prints one JSON line: the rate
-- from the first request sent to the last answer received, the p99 and the refusals.
-- Environment: BODIES, COOKIE, THREADS (wrk's -t), DONE (a path prefix for end marks), RUN.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } timespec_t;
int clock_gettime(int clk_id, timespec_t *tp);
int getpid(void);
int kill(int pid, int sig);
]]
local function now()
  local t = ffi.new("timespec_t")
  ffi.C.clock_gettime(1, t) -- CLOCK_MONOTONIC
  return tonumber(t.tv_sec) + tonumber(t.tv_nsec) / 1e9
end

local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  local n = 0
  for line in io.lines(os.getenv("BODIES")) do
    if n % tonumber(os.getenv("THREADS")) == id then table.insert(bodies, line) end
    n = n + 1
  end
  sent, answered, refused, started, finished = 0, 0, 0, 0, 0
  cookie = os.getenv("COOKIE")
  run = os.getenv("RUN")
end

function request()
  if sent == 0 then started = now() end
  sent = sent + 1
  -- Connections still open after the last body ask for something harmless until the end.
  if sent > #bodies then return wrk.format("GET", "/healthz") end
  return wrk.format("POST", "/api/cases", {
    ["Content-Type"] = "application/json",
    ["Cookie"] = cookie,
    ["Idempotency-Key"] = "bench-" .. run .. "-" .. id .. "-" .. sent,
  }, bodies[sent])
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 201 and status ~= 200 then refused = refused + 1 end
  if answered == #bodies then
    finished = now()
    -- wrk would wait out its whole duration: once every thread is done, end it (SIGINT).
    io.open(os.getenv("DONE") .. "." .. id, "w"):close()
    local all = true
    for t = 0, tonumber(os.getenv("THREADS")) - 1 do
      local mark = io.open(os.getenv("DONE") .. "." .. t, "r")
      if mark then mark:close() else all = false end
    end
    if all then ffi.C.kill(ffi.C.getpid(), 2) end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local first, last, total, bad = math.huge, 0, 0, 0
  for _, t in ipairs(threads) do
    first = math.min(first, t:get("started"))
    last = math.max(last, t:get("finished"))
    total = total + t:get("answered")
    bad = bad + t:get("refused")
  end
  io.write(string.format('{"answered":%d,"refused":%d,"seconds":%.3f,"rps":%.1f,"p99_ms":%.2f}\n',
    total, bad, last - first, total / (last - first), latency:percentile(99) / 1000))
end
