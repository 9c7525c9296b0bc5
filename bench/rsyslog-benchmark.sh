#!/usr/bin/env bash
# Side by side: the same PAN-OS lines over TCP into the same PostgreSQL, stored by ActiveDefense
# (parsed into typed columns plus the raw line, COPY in batches) and by rsyslog + ompgsql (a private
# rsyslogd on loopback with its own config, pid file and work folder, one INSERT of the raw line per
# message, in rsyslog's batches). Reports lines/s stored and CPU seconds per million lines
# (receiver + PostgreSQL), medians of RUNS runs, and the ratios. See docs/benchmarks.md.
#
#   bench/rsyslog-benchmark.sh                   # 3 runs of 300,000 lines each
#   LINES=100000 RUNS=1 bench/rsyslog-benchmark.sh
#
# Needs rsyslogd with ompgsql (Debian: rsyslog, rsyslog-pgsql), psql, python3, curl, jstat.
# The PostgreSQL is the service's embedded one (started with the service; rsyslog writes to a
# table of its own in it). Each sender writes as fast as its receiver reads (TCP back-pressure).
set -euo pipefail
cd "$(dirname "$0")/.."
LINES="${LINES:-300000}"; RUNS="${RUNS:-3}"; CONNECTIONS="${CONNECTIONS:-2}"
JAR="$(realpath -m "${JAR:-target/active-defense.jar}")"
RSYSLOGD="${RSYSLOGD:-$(command -v rsyslogd || echo /usr/sbin/rsyslogd)}"
[[ -x "$RSYSLOGD" ]] || { echo "rsyslogd not found (apt-get install rsyslog rsyslog-pgsql)" >&2; exit 2; }
[[ -f "$JAR" ]] || mvn -q -B package -DskipTests
WORK="$(mktemp -d /tmp/ad-vs-rsyslog.XXXXXX)"
source bench/service-lib.sh
cleanup() {
    [[ -n "${RS_PID:-}" ]] && kill "$RS_PID" 2>/dev/null && wait "$RS_PID" 2>/dev/null || true
    stop_service; [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT

start_service -Ddetect.cron="0 0 0 1 1 ? 2099" -Dingest.checkpoint-file=../ingest-checkpoint.properties
psql_q "CREATE TABLE rsyslog_log (received_at timestamptz NOT NULL, host text, tag text, msg text)" >/dev/null

RS_PORT=$(free_port)
mkdir -p "$WORK/rsyslog-work"
cat >"$WORK/rsyslog.conf" <<CONF
global(workDirectory="$WORK/rsyslog-work" maxMessageSize="64k")
module(load="imtcp" maxSessions="100")
module(load="ompgsql")
template(name="pgraw" type="list" option.sql="on") {
  constant(value="INSERT INTO rsyslog_log (received_at, host, tag, msg) VALUES ('")
  property(name="timegenerated" dateFormat="pgsql") constant(value="','")
  property(name="hostname") constant(value="','")
  property(name="syslogtag") constant(value="','")
  property(name="msg") constant(value="')")
}
ruleset(name="to-pg" queue.type="LinkedList" queue.size="200000" queue.dequeueBatchSize="1024") {
  action(type="ompgsql" server="127.0.0.1" port="$PG_PORT" db="postgres" user="postgres" pass="" template="pgraw")
}
input(type="imtcp" address="127.0.0.1" port="$RS_PORT" ruleset="to-pg")
CONF
"$RSYSLOGD" -n -f "$WORK/rsyslog.conf" -i "$WORK/rsyslogd.pid" >"$WORK/rsyslogd.log" 2>&1 &
RS_PID=$!
for _ in $(seq 1 40); do (echo >"/dev/tcp/127.0.0.1/$RS_PORT") 2>/dev/null && break; sleep 0.25; done

echo "rsyslog vs ActiveDefense: $(date -u +%FT%TZ), nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg); $LINES lines x $RUNS runs over $CONNECTIONS TCP connections; $("$RSYSLOGD" -v | head -1)"

# run_one NAME PORT COUNT_COMMAND RECEIVER_PID -> "lines/s cpu_receiver cpu_pg" on stdout
run_one() {
    local name=$1 port=$2 count_cmd=$3 pid=$4 t0 t1 c0 p0 c1 p1 n last=-1 still=0 x0 x1
    x0=$(psql_q "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'")
    c0=$(cpu_seconds "$pid"); p0=$(pg_cpu_seconds); t0=$(date +%s.%N)
    python3 bench/syslog_sender.py --port="$port" --lines="$LINES" --connections="$CONNECTIONS" >"$WORK/$name.sender.json"
    while :; do
        n=$(eval "$count_cmd")
        (( n >= LINES )) && break
        if (( n == last )); then still=$((still + 1)); else still=0; fi
        (( still > 120 )) && { echo "$name: stalled at $n of $LINES rows" >&2; break; }
        last=$n; sleep 0.25
    done
    t1=$(date +%s.%N); c1=$(cpu_seconds "$pid"); p1=$(pg_cpu_seconds)
    x1=$(psql_q "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'")
    # commits include the polling queries (about 4 a second); a rough "rows per transaction"
    echo "$name $(echo "$n / ($t1 - $t0)" | bc -l) $(echo "$c1 - $c0" | bc -l) $(echo "$p1 - $p0" | bc -l) $n $((x1 - x0))"
}

results="$WORK/results.txt"; : >"$results"
for run in $(seq 1 "$RUNS"); do
    psql_q "TRUNCATE rsyslog_log" >/dev/null
    run_one rsyslog "$RS_PORT" "psql_q 'SELECT count(*) FROM rsyslog_log'" "$RS_PID" | tee -a "$results"
    base=$(metric activedefense_log_lines_stored_total); base=${base%.*}
    run_one activedefense "$TCP_PORT" "echo \$(( \$(metric activedefense_log_lines_stored_total | cut -d. -f1) - $base ))" "$SVC_PID" | tee -a "$results"
done

python3 - "$results" "$LINES" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
lines = int(sys.argv[2])
def med(name, i): return statistics.median(float(r[i]) for r in rows if r[0] == name)
def stored(name): return min(int(r[4]) for r in rows if r[0] == name)
out = {}
for name in ("rsyslog", "activedefense"):
    rate = med(name, 1); recv = med(name, 2); pg = med(name, 3)
    out[name] = (rate, (recv + pg) / lines * 1e6)
    commits = med(name, 5)
    print(f"{name:14s} stored {rate:10,.0f} lines/s (median); CPU per 1M lines: receiver {recv / lines * 1e6:6.1f} s + PostgreSQL {pg / lines * 1e6:6.1f} s = {(recv + pg) / lines * 1e6:6.1f} s; fewest stored in a run {stored(name):,} of {lines:,}; ~{lines / commits:,.0f} lines per commit")
print(f"ratio ActiveDefense / rsyslog: lines/s {out['activedefense'][0] / out['rsyslog'][0]:.2f}, CPU per line {out['activedefense'][1] / out['rsyslog'][1]:.2f}")
PY
