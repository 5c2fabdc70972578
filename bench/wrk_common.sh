# Shared by the HTTP benchmarks (sourced): the server, the request body, the wrk run and its summary.

# start_demo_server BIN WORK PORT [ARGS...]: starts `BIN serve` on PORT with its store in WORK/data
# (seeded with the demo customer base) and waits until it is ready. Sets SERVER to its pid.
start_demo_server() {
  local bin=$1 work=$2 port=$3
  shift 3
  "$bin" serve --port "$port" --data-dir "$work/data" "$@" > "$work/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/api/v1/health/ready" > /dev/null && return 0
    sleep 0.1
  done
  cat "$work/server.log" >&2
  return 1
}

# demo_body CSV OUT [CUSTOMERS]: the request body from the first data rows of a demo CSV (without
# churn): one customer as a JSON object, or with CUSTOMERS > 1 that many as {"customers": [...]}.
demo_body() {
  /usr/bin/python3 - "$1" "$2" "${3:-1}" <<'PY'
import csv, itertools, json, sys
count = int(sys.argv[3])
def value(k, v):
    if v.strip() == "": return None
    try: return v if k in ("customer_id", "senior_citizen") else float(v)
    except ValueError: return v
rows = [{k: value(k, v) for k, v in row.items() if k != "churn"}
        for row in itertools.islice(csv.DictReader(open(sys.argv[1])), count)]
json.dump(rows[0] if count == 1 else {"customers": rows}, open(sys.argv[2], "w"))
PY
}

# wrk_post URL BODY CONNECTIONS SECONDS NAME [CUSTOMERS]: POSTs BODY (holding CUSTOMERS customers)
# with wrk -t1 and prints one JSON line {"server": NAME, "requests_per_s", "customers_per_request",
# "customers_per_s", "p50_ms", "p90_ms", "p99_ms", "connections", "non_2xx"}.
wrk_post() {
  local url=$1 body=$2 connections=$3 seconds=$4 name=$5 customers=${6:-1}
  local lua wrk_out
  lua=$(mktemp --suffix=.lua)
  wrk_out=$(mktemp)
  cat > "$lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$body"); wrk.body = f:read("*a"); f:close()
LUA
  wrk -t1 -c"$connections" -d"${seconds}s" --latency -s "$lua" "$url" > "$wrk_out"
  /usr/bin/python3 - "$wrk_out" "$connections" "$name" "$customers" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
def ms(v):
    n, unit = float(re.match(r"([\d.]+)", v).group(1)), re.sub(r"[\d.]", "", v)
    return n * {"us": 0.001, "ms": 1, "s": 1000}[unit]
pct = {p: ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M)}
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
customers = int(sys.argv[4])
print(json.dumps({"server": sys.argv[3], "requests_per_s": rps, "customers_per_request": customers,
                  "customers_per_s": rps * customers, "p50_ms": pct.get("50"),
                  "p90_ms": pct.get("90"), "p99_ms": pct.get("99"), "connections": int(sys.argv[2]),
                  "non_2xx": int(errors.group(1)) if errors else 0}))
PY
  rm -f "$lua" "$wrk_out"
}

# alternate_rounds OUT ROUNDS SECONDS CONNECTIONS NAME BIN [NAME BIN...]: single-customer
# http_predict.sh on each server in turn, ROUNDS times (alternating, so drift in the machine falls
# on every side alike); appends {"side", "round", "result"} lines to OUT and echoes them.
alternate_rounds() {
  local out=$1 rounds=$2 seconds=$3 connections=$4 round i line
  shift 4
  local sides=("$@")
  for round in $(seq 1 "$rounds"); do
    for ((i = 0; i < ${#sides[@]}; i += 2)); do
      line=$("$(dirname "${BASH_SOURCE[0]}")/http_predict.sh" "${sides[i + 1]}" "$seconds" "$connections" 1)
      echo "{\"side\": \"${sides[i]}\", \"round\": $round, \"result\": $line}" | tee -a "$out"
    done
  done
}
