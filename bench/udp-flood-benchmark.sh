#!/usr/bin/env bash
# UDP flood far above capacity, from many loopback source addresses: is the service still answering
# (EDL, health), is its heap bounded, are drops counted per sender, and does the per-sender metric
# cap hold? See docs/benchmarks.md.
#
#   bench/udp-flood-benchmark.sh                         # 60 s from 1,000 source addresses
#   DURATION=30 SOURCES=300 bench/udp-flood-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-60}"; SOURCES="${SOURCES:-1000}"; THREADS="${THREADS:-2}"; SAMPLE="${SAMPLE:-5}"
JAR="$(realpath -m "${JAR:-target/active-defense.jar}")"
[[ -f "$JAR" ]] || mvn -q -B package -DskipTests
WORK="$(mktemp -d /tmp/ad-udp-flood.XXXXXX)"
source bench/service-lib.sh
cleanup() { kill "${FLOOD_PID:-}" 2>/dev/null || true; stop_service; [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK"; }
trap cleanup EXIT
rcvbuf_errors() { awk '/^Udp:/ { if (h) { print $6; exit } h=1 }' /proc/net/snmp; }

start_service -Ddetect.cron="0 0 0 1 1 ? 2099" -Dingest.checkpoint-file=../ingest-checkpoint.properties
echo "UDP flood: $(date -u +%FT%TZ), nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg); $DURATION s from $SOURCES source addresses, $THREADS threads; work $WORK"
k0=$(rcvbuf_errors)
python3 bench/udp_flood.py --port="$UDP_PORT" --seconds="$DURATION" --sources="$SOURCES" --threads="$THREADS" >"$WORK/flood.json" &
FLOOD_PID=$!
printf '%7s %11s %11s %10s %9s %9s %9s %8s\n' elapsed received dropped stored "heap MiB" "EDL ms" "health ms" senders
start=$(date +%s); heap_max=0; edl_max=0; health_max=0; failures=0
while kill -0 "$FLOOD_PID" 2>/dev/null; do
    sleep "$SAMPLE"
    edl=$(curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}' "http://127.0.0.1:$HTTP_PORT/files/blacklist.txt" || echo "000 10")
    health=$(curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}' "http://127.0.0.1:$HTTP_PORT/observe/health" || echo "000 10")
    [[ "${edl%% *}" == 200 && "${health%% *}" == 200 ]] || failures=$((failures + 1))
    edl_ms=$(echo "${edl##* } * 1000 / 1" | bc); health_ms=$(echo "${health##* } * 1000 / 1" | bc)
    (( edl_ms > edl_max )) && edl_max=$edl_ms; (( health_ms > health_max )) && health_max=$health_ms
    heap=$(heap_mib); (( heap > heap_max )) && heap_max=$heap
    printf '%7s %11.0f %11.0f %10.0f %9s %9s %9s %8.0f\n' "$(( $(date +%s) - start ))s" \
        "$(metric 'activedefense_syslog_frames_received_total{transport="udp"}')" \
        "$(metric 'activedefense_syslog_frames_dropped_total{cause="queue_full",transport="udp"}')" \
        "$(metric activedefense_log_lines_stored_total)" "$heap" "$edl_ms" "$health_ms" "$(metric activedefense_sender_tracked)"
done
wait "$FLOOD_PID" || true
sleep 3
sent=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sent"])' "$WORK/flood.json")
received=$(metric 'activedefense_syslog_frames_received_total{transport="udp"}'); dropped=$(metric 'activedefense_syslog_frames_dropped_total{cause="queue_full",transport="udp"}')
per_sender=$(metrics_text | awk '/^activedefense_sender_frames_dropped_total\{cause="queue_full"/ { s += $2 } END { printf "%.0f", s }')
other=$(metric 'activedefense_sender_frames_received_total{sender="other"}')
stored=$(psql_q "SELECT count(*) FROM firewall_log")
printf 'sent %s datagrams in %s s (%.0f/s); received %.0f, dropped (queue full) %.0f — per sender summed %s; stored %s; kernel RcvbufErrors +%s\n' \
    "$sent" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$WORK/flood.json")" \
    "$(echo "$sent / $DURATION" | bc -l)" "$received" "$dropped" "$per_sender" "$stored" "$(( $(rcvbuf_errors) - k0 ))"
printf 'senders tracked %.0f (cap 100), frames counted as sender="other" %.0f; heap peak %s MiB of 512; EDL max %s ms, health max %s ms, failed polls %s\n' \
    "$(metric activedefense_sender_tracked)" "$other" "$heap_max" "$edl_max" "$health_max" "$failures"
