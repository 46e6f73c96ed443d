#!/usr/bin/env bash
# Issue 20: where the server's CPU goes per amendment with few closed-loop writers (fsync on).
# Usage: bench/profile_writers.sh BUILD_DIR [WRITERS] [SECONDS]   (from the project root)
# Starts BUILD/plenary on a fresh data directory, drives it with plenary-loadgen throughput,
# records it with `perf record -e cpu-clock -g` (no hardware counters in this VM) and prints
# the top of `perf report` by symbol, with children, and the CPU time per amendment.
set -eu
build=$(cd "${1:?build dir}" && pwd); writers=${2:-2}; seconds=${3:-8}
work=$(mktemp -d "${TMPDIR:-/tmp}/plenary-profile-XXXXXX")
srv=""
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import json, sys
sys.path.insert(0, "bench")
import run
json.dump(run.draft_file("wr"), open(sys.argv[1] + "/draft.json", "w"))
PY
codes=$("$build/plenary" draft create --data "$work/data" --from "$work/draft.json" --slug wr --fsync off)
states=(CHN RUS TJK KAZ KGZ UZB)
list=$(python3 -c 'import json,sys; c=json.loads(sys.argv[1])["codes"]["delegations"]; print(",".join(c[s] for s in sys.argv[2:]))' "$codes" "${states[@]:0:$writers}")
"$build/plenary" serve --data "$work/data" --listen 127.0.0.1:0 --fsync on --amend-rate 0 \
  --log-level warn > "$work/serve.out" &
srv=$!
for _ in $(seq 100); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o "127.0.0.1:[0-9]*" "$work/serve.out" | head -1 | cut -d: -f2)
ticks() { awk '{print $14 + $15}' "/proc/$srv/stat"; }
t0=$(ticks)
perf record -e cpu-clock -g -F 2000 -p "$srv" -o "$work/perf.data" -- sleep $((seconds + 2)) \
  > /dev/null 2>&1 &
rec=$!
out=$("$build/bench/plenary-loadgen" throughput --port "$port" --seconds "$seconds" --warmup 1 \
  --draft "wr=$list")
wait "$rec" || true
t1=$(ticks)
echo "$out" | tail -1
python3 -c 'import json,sys,os; r=json.loads(sys.argv[1].splitlines()[-1]); n=r["per_second"]*(int(sys.argv[4])+1); print("server CPU per amendment: %.3f ms (%d amendments)" % ((int(sys.argv[3])-int(sys.argv[2]))*1000/os.sysconf("SC_CLK_TCK")/n, n))' "$out" "$t0" "$t1" "$seconds"
perf report -i "$work/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | grep -v "^#" | grep "%" | head -40
cp "$work/perf.data" "${PROFILE_OUT:-/dev/null}" 2>/dev/null || true
echo "---- with children (inclusive) ----"
perf report -i "$work/perf.data" --children --sort symbol --stdio -g none 2>/dev/null | grep -v "^#" | grep "%" | head -60
