#!/usr/bin/env bash
# Fills a fresh embedded database with synthetic log rows (in receive-time order, as ingest writes
# them) and prints the query plans that docs/storage.md quotes: the detection window and the
# console's filters. Needs psql (Debian: postgresql-client). Usage: bench/explain-storage.sh [rows]
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-2000000}
JAR=${JAR:-target/active-defense.jar}
[ -f "$JAR" ] || mvn -q -B package -DskipTests
WORK=$(mktemp -d /tmp/ad-explain.XXXXXX)
HTTP=18099
java -Ddb.embedded.data-dir="$WORK/postgres" -Ddb.embedded.port=0 -Dhttp.port=$HTTP -Dmanagement.port=0 -Dmanagement.users-file="$WORK/management-users.properties" \
     -Dsyslog.udp.port=0 -Dsyslog.tcp.port=0 -Dsyslog.bind-address=127.0.0.1 -jar "$JAR" > "$WORK/service.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$HTTP/observe/health" >/dev/null && break; sleep 1; done
PORT=$(sed -n 4p "$WORK/postgres/postmaster.pid")
PSQL=(psql -X -q -h localhost -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1)

echo "Filling firewall_log with $ROWS rows over the last 24 hours ..."
"${PSQL[@]}" <<SQL
INSERT INTO firewall_log (received_at, device, sender, format, log_type, subtype, src_ip, dst_ip,
                          src_port, dst_port, action, protocol, application, raw)
SELECT now() - (($ROWS - i) * (interval '86400 seconds' / $ROWS)),
       'PA-BENCH-' || (i % 3), '192.0.2.1', 'csv',
       CASE WHEN i % 10 = 0 THEN 'THREAT' ELSE 'TRAFFIC' END, 'end',
       -- 50,000 sources, a few of them busy; 1,000 destinations of ours
       ('45.' || ((i * 7919) % 200) || '.' || ((i * 104729) % 250) || '.' || (i % 1 + (i * 31) % 200))::inet,
       ('198.51.100.' || (i % 250))::inet,
       1024 + (i * 13) % 60000, (ARRAY[22, 80, 443, 445, 3389, 8080, 23, 25])[1 + i % 8],
       CASE WHEN i % 3 = 0 THEN 'deny' ELSE 'allow' END, 'tcp', 'ssl',
       repeat('x', 400)
FROM generate_series(1::bigint, $ROWS) AS i;
ANALYZE firewall_log;
-- what the service's summarize-log-index route does every minute
SELECT summarize_firewall_log_index() AS brin_ranges_summarized;
SQL
"${PSQL[@]}" -c "SELECT count(*) AS rows, pg_size_pretty(pg_total_relation_size('firewall_log_' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD'))) AS todays_partition FROM firewall_log"

explain() {
  echo; echo "### $1"; echo '```'
  "${PSQL[@]}" -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) $2" | sed 's/^ *QUERY PLAN *$//; /^-*$/d'
  echo '```'
}
explain "Detection window (port-scan shape): last 10 minutes, grouped by source and destination" \
  "SELECT src_ip, dst_ip, count(DISTINCT dst_port) FROM firewall_log WHERE received_at >= now() - make_interval(mins => 10) AND log_type IN ('TRAFFIC','THREAT') AND src_ip IS NOT NULL AND dst_ip IS NOT NULL AND dst_port IS NOT NULL GROUP BY src_ip, dst_ip HAVING count(DISTINCT dst_port) > 10"
explain "Console: everything one source did, newest first" \
  "SELECT * FROM firewall_log WHERE src_ip = '45.7.9.31' ORDER BY received_at DESC LIMIT 100"
explain "Console: who hit one of our hosts in the last hour" \
  "SELECT * FROM firewall_log WHERE dst_ip = '198.51.100.17' AND received_at >= now() - interval '1 hour' ORDER BY received_at DESC LIMIT 100"
explain "Console: one destination port in the last hour" \
  "SELECT * FROM firewall_log WHERE dst_port = 3389 AND received_at >= now() - interval '1 hour' ORDER BY received_at DESC LIMIT 100"
