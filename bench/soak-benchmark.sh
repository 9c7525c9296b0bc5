#!/usr/bin/env bash
# Soak benchmark: the service under steady TCP syslog for a long time with detection every minute.
# Prints lines/s, heap, queue, spool and detection runs over time, then an exact count: every line
# the sender wrote must be in the database (zero loss over TCP). See docs/benchmarks.md.
#
#   bench/soak-benchmark.sh                      # 30 minutes at 18,000 lines/s (half the measured TCP capacity)
#   DURATION=180 RATE=5000 bench/soak-benchmark.sh   # a short run
#
# DURATION seconds (1800), RATE lines/s (18000), CONNECTIONS (2), SAMPLE seconds between lines (10),
# DETECT_CRON (every minute), JAR (target/active-defense.jar, built if missing), KEEP=1 keeps the
# scratch folder. Not part of the test run: it takes the machine for its whole duration.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-1800}"; RATE="${RATE:-18000}"; CONNECTIONS="${CONNECTIONS:-2}"; SAMPLE="${SAMPLE:-10}"
DETECT_CRON="${DETECT_CRON:-0 * * * * ?}"
JAR="$(realpath -m "${JAR:-target/active-defense.jar}")"
[[ -f "$JAR" ]] || mvn -q -B package -DskipTests
WORK="$(mktemp -d /tmp/ad-soak.XXXXXX)"
source bench/service-lib.sh
cleanup() { kill "${SENDER_PID:-}" 2>/dev/null || true; stop_service; [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK"; }
trap cleanup EXIT

start_service "-Ddetect.cron=$DETECT_CRON" -Dingest.checkpoint-file=../ingest-checkpoint.properties
echo "soak: $(date -u +%FT%TZ), nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg); $RATE lines/s over $CONNECTIONS TCP connections for $DURATION s; detection '$DETECT_CRON'; work $WORK"
python3 bench/syslog_sender.py --port="$TCP_PORT" --seconds="$DURATION" --rate="$RATE" --connections="$CONNECTIONS" >"$WORK/sender.json" &
SENDER_PID=$!
has_spool=$(metrics_text | grep -c '^activedefense_spool' || true)
printf '%8s %12s %10s %9s %7s %10s %6s %8s\n' elapsed stored "lines/s" "heap MiB" queue spool runs "load1"
start=$(date +%s); prev=0; prev_t=$start; heap_max=0
while kill -0 "$SENDER_PID" 2>/dev/null; do
    sleep "$SAMPLE"
    now=$(date +%s); stored=$(metric activedefense_log_lines_stored_total); stored=${stored%.*}
    rate=$(( (stored - prev) / (now - prev_t > 0 ? now - prev_t : 1) )); prev=$stored; prev_t=$now
    heap=$(heap_mib); (( heap > heap_max )) && heap_max=$heap
    queue=$(metric activedefense_ingest_queue_depth); queue=${queue%.*}
    if (( has_spool > 0 )); then spool=$(metric activedefense_spool_lines); spool=${spool%.*}; else spool=n/a; fi
    runs=$(psql_q "SELECT count(*) FROM detection_run WHERE status = 'ok'")
    printf '%8s %12s %10s %9s %7s %10s %6s %8s\n' "$((now - start))s" "$stored" "$rate" "$heap" "$queue" "$spool" "$runs" "$(cut -d' ' -f1 /proc/loadavg)"
done
wait "$SENDER_PID" || true
sent=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sent"])' "$WORK/sender.json")
# wait for the writer to catch up (no new rows for 10 s, or everything there)
last=-1; still=0
while (( still < 20 )); do
    rows=$(metric activedefense_log_lines_stored_total); rows=${rows%.*}
    rejected=$(metric activedefense_rejected_lines_stored_total); rejected=${rejected%.*}
    (( rows + rejected >= sent )) && break
    if (( rows == last )); then still=$((still + 1)); else still=0; fi
    last=$rows; sleep 0.5
done
stored=$(psql_q "SELECT count(*) FROM firewall_log"); rejected=$(psql_q "SELECT count(*) FROM rejected_line")
runs=$(psql_q "SELECT count(*) || ' ok, ' || coalesce(round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at))::numeric, 2), 0) || ' s median, ' || coalesce(round(max(extract(epoch FROM finished_at - started_at))::numeric, 2), 0) || ' s max' FROM detection_run WHERE status = 'ok'")
other=$(psql_q "SELECT count(*) FROM detection_run WHERE status <> 'ok'")
echo "sent $sent lines in $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$WORK/sender.json") s; stored $stored (exact count), rejected $rejected, lost $((sent - stored - rejected))"
echo "heap peak $heap_max MiB of 512 MiB; detection runs: $runs; other runs: $other; service log WARN/ERROR lines: $(grep -c ' WARN \| ERROR ' "$WORK/service.log" || true)"
if (( sent != stored + rejected )); then echo "FAIL: lines lost over TCP" >&2; exit 1; fi
echo "OK: zero loss"
