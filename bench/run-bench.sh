#!/usr/bin/env bash
# make bench: measures the built server (bin/kalamdb-server) over HTTP and WebSocket on loopback, in two write
# modes (durable = synced log with group commit, the default; nosync = non-synced log), PostgreSQL in the same run
# as the peer of the durable INSERT figures and Redis Streams as the peer of the topic figures; then prints every
# figure against BENCHMARKS.md.
#
# Run `make build` first (make bench does). Everything runs on 127.0.0.1, in temporary directories that are
# removed on exit, bounded in time. Settings (environment, defaults in brackets):
#   BENCH_MODES [durable,nosync]
#   BENCH_TRANSPORT [socket] (socket = a keep-alive socket per client; jdk = java.net.http.HttpClient)
#   BENCH_WARMUP_S [3]  BENCH_DURATION_S [10]  BENCH_CLIENTS [1,8,64]
#   BENCH_REPEATS [3] (timed runs per write level, KalamDB and PostgreSQL, after one warm-up; medians reported)
#   BENCH_TARGET_ROWS [100000]  BENCH_OTHER_USERS [999]  BENCH_OTHER_ROWS [100]
#   BENCH_HISTORY_GROWTH [1] (e.g. 100: grow every history 100x and read again; takes long)
#   BENCH_PHASES [insert,batch,history,topics,live]
#   BENCH_STREAM_MODES [durable] (the modes that also run the phases topics and live; the others skip them,
#              so that make bench stays near 12 minutes on 2 cores)
#   BENCH_LIVE_USERS [10000] (users with one WebSocket connection each; bounded by ulimit -n, raised to the hard
#              limit here)  BENCH_FANOUT [1000] (subscribers of one thread)
#   BENCH_REDIS [1] (0 = skip the Redis Streams peer; installed with apt-get when missing and possible)
#   BENCH_REDIS_ENTRIES [200000] (XADDs by redis-benchmark -c 50, then drained by XREADGROUP)
#   BENCH_ARGS (more options of the load generator; list them with
#              java -cp kalam-bench/target/classes io.kalamdb.bench.BenchMain --help)
#   BENCH_PG [1] (0 = skip PostgreSQL)  BENCH_PG_CLIENTS [1,8,64]  BENCH_PG_DURATION_S [= BENCH_DURATION_S]
#   BENCH_BCRYPT_COST [4] (server's bcrypt cost: only CREATE USER / login of the setup pay it; not measured)
#   BENCH_STARTUP_TIMEOUT_S [60]  BENCH_CLIENT_JAVA_OPTS  KALAMDB_JAVA_OPTS (server JVM options)
#   BENCH_KEEP [0] (1 = keep the temporary data and logs)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

modes="${BENCH_MODES:-durable,nosync}"
transport="${BENCH_TRANSPORT:-socket}"
warmup_s="${BENCH_WARMUP_S:-3}"
duration_s="${BENCH_DURATION_S:-10}"
clients="${BENCH_CLIENTS:-1,8,64}"
target_rows="${BENCH_TARGET_ROWS:-100000}"
other_users="${BENCH_OTHER_USERS:-999}"
other_rows="${BENCH_OTHER_ROWS:-100}"
growth="${BENCH_HISTORY_GROWTH:-1}"
repeats="${BENCH_REPEATS:-3}"
pg_enabled="${BENCH_PG:-1}"
pg_clients="${BENCH_PG_CLIENTS:-1,8,64}"
pg_duration_s="${BENCH_PG_DURATION_S:-$duration_s}"
bcrypt_cost="${BENCH_BCRYPT_COST:-4}"
phases="${BENCH_PHASES:-insert,batch,history,topics,live}"
stream_modes="${BENCH_STREAM_MODES:-durable}"
live_users="${BENCH_LIVE_USERS:-10000}"
fanout="${BENCH_FANOUT:-1000}"
redis_enabled="${BENCH_REDIS:-1}"
redis_entries="${BENCH_REDIS_ENTRIES:-200000}"
startup_timeout_s="${BENCH_STARTUP_TIMEOUT_S:-60}"
root_password="BenchRoot-$$-$RANDOM"
content='The quick brown fox jumps over the lazy dog; the load generator keeps talking so that every message h'

java_home="$("$root/scripts/pick-jdk.sh" 21)"
java="$java_home/bin/java"
bench_jar="$root/kalam-bench/target/kalam-bench-0.1.0-SNAPSHOT.jar"
if [ ! -f "$bench_jar" ] || [ ! -x "$root/bin/kalamdb-server" ]; then
  echo "run-bench: the load generator or the server is not built ($bench_jar); run make build first" >&2
  exit 1
fi
bench_cp="$bench_jar:$root/kalam-bench/target/lib/*"

# 10,000 WebSocket connections need as many descriptors in the load generator and in the server
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

work="$(mktemp -d /tmp/kalam-bench.XXXXXX)"
# the server's configuration: one user holds the 1,000 subscriptions of the fan-out run (default 10), and
# the load generator sends far more than the per-user query limits allow (100/s, half the workers in flight)
server_toml="$work/server.toml"
printf '[rate_limit]\nmax_subscriptions_per_user = 20000\nmax_queries_per_sec = 0\nmax_statements_in_flight_per_user = 0\n' \
  >"$server_toml"
stamp="$(date -u +%Y%m%d-%H%M%S)"
keep_dir="$root/kalam-bench/target/bench-results"
mkdir -p "$keep_dir"
results="$keep_dir/bench-$stamp.properties"
: >"$results"
server_pid=""
redis_pid=""
pg_ctl_bin=""
pg_data=""
pg_work=""

now_ms() { echo $(($(date +%s%N) / 1000000)); }
put() { printf '%s=%s\n' "$1" "$2" >>"$results"; }
log() { printf '[run-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid="$server_pid" t0 waited=0
  server_pid=""
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  t0=$(now_ms)
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if [ $(($(now_ms) - t0)) -gt 30000 ]; then
      log "server $pid did not stop within 30 s of SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.05
    waited=1
  done
  wait "$pid" 2>/dev/null || true
  [ "$waited" = 1 ] && log "server stopped $(($(now_ms) - t0)) ms after SIGTERM"
  return 0
}

stop_pg() {
  if [ -n "$pg_ctl_bin" ] && [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
    as_postgres "$pg_ctl_bin" -D "$pg_data" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || as_postgres "$pg_ctl_bin" -D "$pg_data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
  fi
}

stop_redis() {
  [ -n "$redis_pid" ] || return 0
  kill -TERM "$redis_pid" 2>/dev/null || true
  wait "$redis_pid" 2>/dev/null || true
  redis_pid=""
}

cleanup() {
  local status=$?
  stop_server
  stop_pg
  stop_redis
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    echo "run-bench: kept $work ${pg_work:+and $pg_work}"
  else
    rm -rf "$work"
    [ -n "$pg_work" ] && rm -rf "$pg_work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

# start_server MODE DATA_DIR LOG KEY: starts bin/kalamdb-server, waits for the ready line (bounded), sets
# server_pid and server_port, and records MODE.KEY = milliseconds from launch to the ready line.
start_server() {
  local mode="$1" data="$2" logf="$3" key="$4" sync t0 ready
  if [ "$mode" = durable ]; then sync=true; else sync=false; fi
  t0=$(now_ms)
  KALAMDB_SERVER_HOST=127.0.0.1 KALAMDB_SERVER_PORT=0 \
    KALAMDB_DATA_DIR="$data" KALAMDB_ROOT_PASSWORD="$root_password" \
    KALAMDB_SYNC_WRITES="$sync" KALAMDB_BCRYPT_COST="$bcrypt_cost" KALAMDB_LOG_LEVEL="${KALAMDB_LOG_LEVEL:-info}" \
    "$root/bin/kalamdb-server" "$server_toml" >"$logf" 2>&1 </dev/null &
  server_pid=$!
  while ! grep -q '^KalamDB listening on http://' "$logf"; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid" 2>/dev/null || true
      server_pid=""
      log "server ($mode) exited before it was ready; its log:"
      tail -n 30 "$logf" | sed 's/^/    /'
      return 1
    fi
    if [ $(($(now_ms) - t0)) -gt $((startup_timeout_s * 1000)) ]; then
      log "server ($mode) not ready within $startup_timeout_s s; its log:"
      tail -n 30 "$logf" | sed 's/^/    /'
      stop_server
      return 1
    fi
    sleep 0.01
  done
  ready=$(($(now_ms) - t0))
  server_port="$(sed -n 's#^KalamDB listening on http://[^:]*:\([0-9][0-9]*\).*#\1#p' "$logf" | head -n 1)"
  put "$mode.$key" "$ready"
  log "server ($mode, sync_writes=$sync) ready on 127.0.0.1:$server_port after $ready ms (pid $server_pid)"
}

# mode_phases MODE: BENCH_PHASES, without topics and live unless MODE is one of BENCH_STREAM_MODES.
mode_phases() {
  if [[ ",$stream_modes," == *",$1,"* ]]; then echo "$phases"; return; fi
  local p out=""
  for p in ${phases//,/ }; do
    case "$p" in topics | live) ;; *) out="${out:+$out,}$p" ;; esac
  done
  echo "$out"
}

run_mode() {
  local mode="$1" data="$work/$mode/data" logf="$work/$mode/server.log" mphases
  mphases="$(mode_phases "$mode")"
  if [ -z "$mphases" ]; then log "mode $mode: no phase of BENCH_PHASES=$phases runs in it: skipped"; return 0; fi
  mkdir -p "$work/$mode"
  echo
  log "==== KalamDB, mode $mode ===="
  if ! start_server "$mode" "$data" "$logf" startup_ms; then
    put "$mode.status" "server did not start"
    return 1
  fi
  local status=0
  # shellcheck disable=SC2086 # BENCH_CLIENT_JAVA_OPTS and BENCH_ARGS are lists, split on spaces on purpose
  timeout --signal=TERM --kill-after=30 3600 \
    "$java" ${BENCH_CLIENT_JAVA_OPTS:-} -cp "$bench_cp" io.kalamdb.bench.BenchMain run \
    --url "http://127.0.0.1:$server_port" --root-password "$root_password" --mode "$mode" \
    --results "$results" --transport "$transport" --warmup-s "$warmup_s" --duration-s "$duration_s" \
    --clients "$clients" --repeats "$repeats" --target-rows "$target_rows" --other-users "$other_users" \
    --other-rows "$other_rows" --growth "$growth" --phases "$mphases" --live-users "$live_users" \
    --fanout "$fanout" --server-pid "$server_pid" --jcmd "$java_home/bin/jcmd" ${BENCH_ARGS:-} || status=$?
  if [ "$status" != 0 ]; then
    put "$mode.status" "load generator failed (exit $status)"
    log "load generator failed (exit $status); server log tail:"
    tail -n 20 "$logf" | sed 's/^/    /'
  fi
  local errors
  errors=$(grep -c -E ' (ERROR|WARN) |Exception' "$logf" || true)
  log "server log: $(wc -l <"$logf") lines, $errors with ERROR/WARN/Exception (kept in $work/$mode if BENCH_KEEP=1)"
  if [ "$errors" != 0 ]; then grep -E ' (ERROR|WARN) |Exception' "$logf" | sort | uniq -c | sort -rn | head -n 5 \
    | cut -c1-300 | sed 's/^/    /'; fi
  stop_server
  # start-up again with the run's data in place (recovery of the hot store and catalog)
  if start_server "$mode" "$data" "$work/$mode/restart.log" restart_ms; then
    stop_server
  else
    put "$mode.restart_status" "did not start again on its data"
    status=1
  fi
  du -sh "$data" 2>/dev/null | sed "s#^#[run-bench] data dir after the $mode run: #"
  return "$status"
}

# median_col N FILE: the median of the Nth whitespace-separated column (mean of the middle two when even).
median_col() {
  awk -v c="$1" '{print $c}' "$2" | sort -g | awk '{v[NR] = $1} END {
    if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

find_pg() {
  local d
  for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/pgbench" ] && [ -x "$d/psql" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

# The PostgreSQL anchor: durable single-row INSERT (fsync on, synchronous_commit on) with pgbench.
run_pg() {
  echo
  log "==== PostgreSQL (peer of the durable INSERT figures) ===="
  if [ "$pg_enabled" = 0 ]; then put pg.status "skipped (BENCH_PG=0)"; log "skipped (BENCH_PG=0)"; return 0; fi
  local bin
  if ! bin="$(find_pg)"; then
    log "PostgreSQL not installed: apt-get install -y postgresql"
    if [ "$(id -u)" = 0 ] && timeout 900 apt-get update -qq && \
        DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq postgresql >/dev/null; then
      bin="$(find_pg)" || true
    fi
    if [ -z "$bin" ]; then
      put pg.status "skipped: PostgreSQL could not be installed"
      log "PG anchor skipped: PostgreSQL could not be installed"
      return 0
    fi
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    put pg.status "skipped: no postgres OS user"; log "PG anchor skipped: no postgres OS user"; return 0
  fi
  pg_ctl_bin="$bin/pg_ctl"
  pg_work="$(mktemp -d /tmp/kalam-bench-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown postgres: "$pg_work"
  pg_data="$pg_work/data"
  local port
  port="$(free_port)"
  if ! as_postgres "$bin/initdb" -D "$pg_data" --username=postgres --auth=trust -E UTF8 --no-locale \
      >"$pg_work/initdb.log" 2>&1; then
    put pg.status "skipped: initdb failed"; log "PG anchor skipped: initdb failed"; tail -n 5 "$pg_work/initdb.log"
    pg_data=""; return 0
  fi
  local pg_settings="fsync=on synchronous_commit=on full_page_writes=on shared_buffers=256MB max_connections=200"
  if ! as_postgres "$pg_ctl_bin" -D "$pg_data" -l "$pg_work/server.log" -w -t 60 \
      -o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_work -c fsync=on \
          -c synchronous_commit=on -c full_page_writes=on -c shared_buffers=256MB -c max_connections=200" \
      start >/dev/null; then
    put pg.status "skipped: PostgreSQL did not start"; log "PG anchor skipped: did not start"
    tail -n 10 "$pg_work/server.log"; return 0
  fi
  local psql=("$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1)
  "${psql[@]}" -c "CREATE TABLE messages (id BIGSERIAL PRIMARY KEY, thread_id TEXT, role TEXT, content TEXT, \
created_at TIMESTAMPTZ DEFAULT now())"
  put pg.version "$("${psql[@]}" -A -t -c 'SHOW server_version')"
  put pg.settings "$pg_settings; wal_sync_method=$("${psql[@]}" -A -t -c 'SHOW wal_sync_method');\
 pgbench -n -M prepared, $repeats x ${pg_duration_s} s per level after a 2 s warm-up"
  {
    echo '\set t random(0, 49)'
    echo "INSERT INTO messages (thread_id, role, content, created_at) VALUES ('t' || :t, 'user', '$content', now());"
  } >"$pg_work/insert.sql"
  log "PostgreSQL $("${psql[@]}" -A -t -c 'SHOW server_version') on 127.0.0.1:$port ($pg_settings)"
  log "script: $(tr '\n' ' ' <"$pg_work/insert.sql")"
  local c jobs out tps avg p50 p99 n run
  local cores
  cores=$(nproc)
  for c in ${pg_clients//,/ }; do
    jobs=$((c < cores ? c : cores))
    "$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -M prepared -f "$pg_work/insert.sql" -c "$c" -j "$jobs" \
      -T 2 postgres >/dev/null 2>&1 || true
    : >"$pg_work/runs_c$c"
    for run in $(seq 1 "$repeats"); do
      rm -f "$pg_work"/lat_c"$c".*
      out="$(timeout $((pg_duration_s + 60)) "$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -M prepared \
        -f "$pg_work/insert.sql" -c "$c" -j "$jobs" -T "$pg_duration_s" -l --log-prefix="$pg_work/lat_c$c" \
        postgres 2>&1)" || { log "pgbench with $c clients failed: $out"; continue; }
      tps="$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time).*/\1/p' <<<"$out")"
      avg="$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' <<<"$out")"
      # per-transaction log lines: client_id transaction_no time_us script_no epoch epoch_us
      cat "$pg_work"/lat_c"$c".* | awk '{print $3}' | sort -n >"$pg_work/sorted_c$c"
      n=$(wc -l <"$pg_work/sorted_c$c")
      p50=$(awk -v n="$n" 'NR == int((n * 50 + 99) / 100) {printf "%.4f", $1 / 1000}' "$pg_work/sorted_c$c")
      p99=$(awk -v n="$n" 'NR == int((n * 99 + 99) / 100) {printf "%.4f", $1 / 1000}' "$pg_work/sorted_c$c")
      echo "$tps $p50 $p99 $avg" >>"$pg_work/runs_c$c"
      log "$(printf 'PostgreSQL durable INSERT, %2d clients (-j %d) [run %d/%d]: %8.0f tps, p50 %s ms, p99 %s ms, %s' \
        "$c" "$jobs" "$run" "$repeats" "$tps" "$p50" "$p99" "avg $avg ms (n=$n)")"
    done
    [ -s "$pg_work/runs_c$c" ] || continue
    put "pg.c$c.runs" "$(wc -l <"$pg_work/runs_c$c")"
    put "pg.c$c.tps" "$(median_col 1 "$pg_work/runs_c$c")"
    put "pg.c$c.tps_min" "$(awk '{print $1}' "$pg_work/runs_c$c" | sort -g | head -n 1)"
    put "pg.c$c.tps_max" "$(awk '{print $1}' "$pg_work/runs_c$c" | sort -g | tail -n 1)"
    put "pg.c$c.p50_ms" "$(median_col 2 "$pg_work/runs_c$c")"
    put "pg.c$c.p99_ms" "$(median_col 3 "$pg_work/runs_c$c")"
    put "pg.c$c.avg_ms" "$(median_col 4 "$pg_work/runs_c$c")"
    if [ "$repeats" -gt 1 ]; then
      log "$(printf 'PostgreSQL durable INSERT, %2d clients (median of %d runs): %8.0f tps, p50 %s ms, p99 %s ms' \
        "$c" "$repeats" "$(median_col 1 "$pg_work/runs_c$c")" "$(median_col 2 "$pg_work/runs_c$c")" \
        "$(median_col 3 "$pg_work/runs_c$c")")"
    fi
  done
  put pg.status ok
  stop_pg
  pg_data=""
}

find_redis() { command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null && command -v redis-cli >/dev/null; }

# The Redis Streams anchor of the topic figures: a throwaway redis-server on 127.0.0.1 (no persistence),
# XADD with redis-benchmark (50 clients, entries of the size of a KalamDB topic payload), then the XREADGROUP
# COUNT 100 + XACK drain by one group with 2 consumers (BenchMain redis), as the KalamDB drain does it.
run_redis() {
  echo
  log "==== Redis Streams (peer of the topic figures) ===="
  if [ "$redis_enabled" = 0 ]; then put redis.status "skipped (BENCH_REDIS=0)"; log "skipped (BENCH_REDIS=0)"; return 0; fi
  if [[ ",$phases," != *",topics,"* ]]; then put redis.status "skipped (no topics phase)"; log "skipped: no topics phase"
    return 0; fi
  if ! find_redis; then
    log "Redis not installed: apt-get install -y redis-server redis-tools"
    if [ "$(id -u)" = 0 ] && timeout 900 apt-get update -qq && \
        DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq redis-server redis-tools >/dev/null; then
      true
    fi
    if ! find_redis; then
      put redis.status "skipped: Redis could not be installed"
      log "Redis anchor skipped: redis-server/redis-tools could not be installed"
      return 0
    fi
  fi
  local port dir payload_bytes payload csv rps p50 p99 t0
  port="$(free_port)"
  dir="$work/redis"
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize no \
    --protected-mode yes >"$dir/redis.log" 2>&1 </dev/null &
  redis_pid=$!
  t0=$(now_ms)
  until redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; do
    if ! kill -0 "$redis_pid" 2>/dev/null || [ $(($(now_ms) - t0)) -gt 10000 ]; then
      log "Redis anchor skipped: redis-server did not start"; tail -n 5 "$dir/redis.log"
      put redis.status "skipped: redis-server did not start"; stop_redis; return 0
    fi
    sleep 0.05
  done
  payload_bytes="$(sed -n 's/^[a-z]*\.topics\.payload_bytes=//p' "$results" | head -n 1)"
  payload_bytes="${payload_bytes:-300}"
  payload="$(printf '%s' "{\"content\":\"$content$content$content$content\"}" | head -c "$payload_bytes")"
  log "$(redis-server --version | cut -d' ' -f1-3) on 127.0.0.1:$port (--save '' --appendonly no);" \
    "XADD of $redis_entries entries of $payload_bytes bytes (the KalamDB topic payload size), 50 clients"
  csv="$(timeout 600 redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -n "$redis_entries" --csv \
    XADD bench_events '*' payload "$payload" 2>/dev/null | tail -n 1)"
  # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  rps="$(awk -F'","' '{print $2}' <<<"$csv")"
  p50="$(awk -F'","' '{print $5}' <<<"$csv")"
  p99="$(awk -F'","' '{print $7}' <<<"$csv")"
  if [ -z "$rps" ]; then
    log "redis-benchmark failed: $csv"; put redis.status "failed: redis-benchmark"; stop_redis; return 0
  fi
  put redis.xadd.per_s "$rps"
  put redis.xadd.p50_ms "$p50"
  put redis.xadd.p99_ms "$p99"
  put redis.xadd.clients 50
  put redis.payload_bytes "$payload_bytes"
  log "$(printf 'Redis XADD, 50 clients (redis-benchmark): %8.0f/s, p50 %s ms, p99 %s ms' "$rps" "$p50" "$p99")"
  # shellcheck disable=SC2086 # BENCH_CLIENT_JAVA_OPTS is a list
  if timeout --signal=TERM --kill-after=30 600 "$java" ${BENCH_CLIENT_JAVA_OPTS:-} -cp "$bench_cp" \
      io.kalamdb.bench.BenchMain redis --redis-port "$port" --results "$results"; then
    put redis.status ok
  else
    put redis.status "XREADGROUP drain failed or incomplete"
  fi
  stop_redis
}

# ---- header: where and how this run measures ----
client_jdk="$("$java" -version 2>&1 | head -n 1)"
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
settings="modes=$modes transport=$transport warmup=${warmup_s}s duration=${duration_s}s x $repeats runs"
settings+=" clients=$clients"
settings+=" target_rows=$target_rows other_users=$other_users other_rows=$other_rows growth=${growth}x"
settings+=" bcrypt_cost=$bcrypt_cost phases=$phases (topics,live in: $stream_modes) live_users=$live_users"
settings+=" fanout=$fanout server: engine defaults + rate_limit.max_subscriptions_per_user=20000, sync_writes per mode"
put env.date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
put env.host_cores "$(nproc) (nproc; load generator and server share them)"
put env.cpu "${cpu:-unknown}, $(uname -sr), $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo)"
put env.jdk "$client_jdk ($java_home; server and load generator)"
put env.server_java_opts "${KALAMDB_JAVA_OPTS:-(none: bin/kalamdb-server defaults)}"
put env.settings "$settings"
echo "==== KalamDB benchmark ($stamp) ===="
echo "JDK:      $client_jdk ($java_home)"
echo "cores:    $(nproc) (nproc), ${cpu:-unknown CPU}"
echo "settings: $settings"
echo "server:   bin/kalamdb-server $server_toml ([rate_limit] max_subscriptions_per_user = 20000, per-user query limits off)," \
  "KALAMDB_JAVA_OPTS=${KALAMDB_JAVA_OPTS:-(none)}, loopback 127.0.0.1, port 0; ulimit -n $(ulimit -n)"
echo "results:  $results"

failed=0
for mode in ${modes//,/ }; do
  case "$mode" in
    durable | nosync) run_mode "$mode" || failed=1 ;;
    *) echo "run-bench: unknown mode '$mode' (durable or nosync)" >&2; failed=1 ;;
  esac
done
run_redis || { log "Redis anchor failed"; put redis.status "failed"; stop_redis; }
if [[ ",$phases," == *",insert,"* ]]; then
  run_pg || { log "PG anchor failed"; put pg.status "failed"; stop_pg; }
else
  put pg.status "skipped (no insert phase)"
fi

"$java" -cp "$bench_cp" io.kalamdb.bench.BenchMain summary --results "$results" \
  | tee "$keep_dir/bench-$stamp.summary.txt"
echo "run-bench: figures in $results"
exit "$failed"
