#!/usr/bin/env bash
# Detection and EDL benchmark (docs/benchmarks.md, "Detection and EDL"). Starts the service on a fresh
# embedded database in a temporary folder, grows firewall_log through SIZES total rows while the
# 10-minute window keeps the same WINDOW_ROWS rows (with planted attackers), runs detection through
# the API at each size, prints EXPLAIN (ANALYZE, BUFFERS) of the service's queries at the largest
# size, then measures GET /files/blacklist.txt (50,000 entries, and 304) with wrk against a static
# file served by python3 on the same machine. Everything on 127.0.0.1; everything started is stopped
# by its PID on exit, and the database is deleted (the logs are kept). Needs psql, python3 and curl;
# installs wrk with apt-get if missing. About 15 minutes on 2 shared cores; about 12 GB free under /tmp.
#   bench/detection-benchmark.sh
# Environment (defaults): JAR (target/active-defense.jar, built if missing), SIZES (total rows per
# step, "4000000 10000000 50000000"), WINDOW_ROWS (3000000), WINDOW_SPAN_SECONDS (180), ROWS_PER_DAY
# (5000000), LOAD_JOBS (2), RUNS (3), EDL_ENTRIES (50000), WRK_RUNS (3), WRK_SECONDS (15), TMPDIR (/tmp).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${JAR:-target/active-defense.jar}
SIZES=${SIZES:-"4000000 10000000 50000000"}
WINDOW_ROWS=${WINDOW_ROWS:-3000000}
WINDOW_SPAN_SECONDS=${WINDOW_SPAN_SECONDS:-180}
ROWS_PER_DAY=${ROWS_PER_DAY:-5000000}
LOAD_JOBS=${LOAD_JOBS:-2}
RUNS=${RUNS:-3}
EDL_ENTRIES=${EDL_ENTRIES:-50000}
WRK_RUNS=${WRK_RUNS:-3}
WRK_SECONDS=${WRK_SECONDS:-15}
# What the service's detection uses by default (application.properties): the SQL is run with these.
WINDOW_MINUTES=10 THRESHOLD=10
# Planted in the window (fixed by the generator below) and listed before the first run.
SCANNERS=200 SWEEPERS=200 EXPLOITERS=100 LISTED=5000 LISTED_ACTIVE=3500 BUSY_CLIENTS=1000
RECENT_HOURS=6          # the rows of the first size that are not the window: the hours before it...
RECENT_GAP_MINUTES=30   # ...ending this long before the window
BENCH_START=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

log() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { echo "error: $*" >&2; exit 1; }
num() { echo "$1" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta'; }   # 1234567 -> 1,234,567
sizes=($SIZES)
(( ${sizes[0]} >= WINDOW_ROWS )) || die "the first of SIZES (${sizes[0]}) must hold the window (WINDOW_ROWS=$WINDOW_ROWS)"
(( WINDOW_ROWS >= 12000 )) || die "WINDOW_ROWS must be at least 12000 (the planted attack rows)"
(( WINDOW_SPAN_SECONDS < WINDOW_MINUTES * 60 )) || die "WINDOW_SPAN_SECONDS must be under $((WINDOW_MINUTES * 60))"
RECENT_ROWS=$(( ${sizes[0]} - WINDOW_ROWS ))

# ------------------------------------------------------------------ tools, jar, disk
for tool in curl python3; do command -v $tool >/dev/null || die "$tool is needed"; done
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v psql >/dev/null || missing+=(postgresql-client)
if (( ${#missing[@]} )); then
  log "installing ${missing[*]} with apt-get"
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -f "$JAR" ]; then log "building $JAR"; mvn -q -B package -DskipTests; fi
[ -f "$JAR" ] || die "$JAR not found"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ad-detbench.XXXXXX")
exec > >(tee "$WORK/output.txt") 2>&1   # everything printed is kept with the logs
SERVICE_PID='' BASELINE_PID='' CURL_PID='' LOADER_PIDS=()
stop_pid() {  # stop_pid PID seconds: TERM, wait (bounded), then KILL
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < $2 * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  local pid postmaster
  for pid in "${LOADER_PIDS[@]}" $CURL_PID; do kill "$pid" 2>/dev/null || true; done
  touch "$WORK/stop-sampling"
  [ -n "$BASELINE_PID" ] && stop_pid "$BASELINE_PID" 5
  postmaster=$(sed -n 1p "$WORK/postgres/postmaster.pid" 2>/dev/null || true)
  [ -n "$SERVICE_PID" ] && stop_pid "$SERVICE_PID" 60
  # the service stops its embedded PostgreSQL; if it could not, stop that postmaster (ours, by PID)
  [ -n "$postmaster" ] && stop_pid "$postmaster" 30
  rm -rf "$WORK/postgres" "$WORK/edl"
  echo "logs: $WORK (output.txt, service.log, run and wrk outputs); the database is deleted"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


largest=${sizes[-1]}
# measured: ~125 bytes of heap and ~45 of indexes per row, the generator's templates ~130 per row, WAL
need_kb=$(( (largest * 175 + (ROWS_PER_DAY + WINDOW_ROWS) * 130) / 1024 + 3 * 1024 * 1024 ))
avail_kb=$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')
df -h "$WORK" | sed 's/^/    /'
(( avail_kb > need_kb )) || die "about $((need_kb / 1024 / 1024)) GB needed under $WORK, $((avail_kb / 1024 / 1024)) GB free"

# ------------------------------------------------------------------ service
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
HTTP=$(free_port)
BASE="http://127.0.0.1:$HTTP"
log "starting the service on port $HTTP (data, logs: $WORK)"
java -Xmx1g -Ddb.embedded.data-dir="$WORK/postgres" -Ddb.embedded.port=0 -Dhttp.port="$HTTP" -Dmanagement.port=0 -Dmanagement.users-file="$WORK/management-users.properties" \
     -Dsyslog.udp.port=0 -Dsyslog.tcp.port=0 -Dsyslog.bind-address=127.0.0.1 -Dadmin.password=bench-pass \
     -Dmail.outbox-dir="$WORK/outbox" -Ddetect.cron='0 0 0 1 1 ? 2099' -jar "$JAR" > "$WORK/service.log" 2>&1 &
SERVICE_PID=$!
for ((i = 0; i < 180; i++)); do
  curl -sf --max-time 2 "$BASE/observe/health" >/dev/null && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { tail -20 "$WORK/service.log"; die "the service exited"; }
  sleep 1
done
(( i < 180 )) || die "the service was not healthy after 180 s"
PGPORT=$(sed -n 4p "$WORK/postgres/postmaster.pid")
export PGOPTIONS='-c client_min_messages=warning'
PSQL=(psql -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1)
Q() { "${PSQL[@]}" -At -c "$1"; }
PG_INFO=$(Q "SELECT split_part(version(), ' ', 2) || ', shared_buffers ' || current_setting('shared_buffers') || ', work_mem ' || current_setting('work_mem')")
log "embedded PostgreSQL $PG_INFO on port $PGPORT"

# ------------------------------------------------------------------ generator (lives only in this database)
"${PSQL[@]}" <<'SQL'
-- k-th public IPv4 address: never private, reserved or documentation; distinct for k < 544,000,000
CREATE FUNCTION bench_public(k bigint) RETURNS inet LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT '0.0.0.0'::inet + ((ARRAY[23,31,37,45,46,62,77,78,79,80,81,82,83,84,85,86,87,88,89,91,92,93,94,95,
                                   176,178,185,188,193,194,195,212,213,217])[1 + (k % 34)::int]::bigint * 16777216
                            + 256 + (k / 34) % 16000000)
$$;
-- k-th of our 254 public-facing servers
CREATE FUNCTION bench_ours(k bigint) RETURNS inet LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT '198.51.100.0'::inet + (1 + k % 254)
$$;

-- Rows without times, generated once; loads copy them with times spread over a time range.
CREATE UNLOGGED TABLE bench_filler_tpl (i bigint NOT NULL, LIKE firewall_log);
CREATE UNLOGGED TABLE bench_window_tpl (i bigint NOT NULL, LIKE firewall_log);
CREATE TABLE bench_loaded (day date PRIMARY KEY, rows bigint NOT NULL);

-- n rows. Background: 70 % internal clients (40,000 in 10.0.0.0/16; each reaches at most 3 of 200
-- public sites, except 1,000 busy ones that reach many: host-sweep candidates the policy stops),
-- 25 % inbound denies from 20,000 public sources (each to at most 2 of our hosts on at most 2
-- ports), 5 % THREAT rows (vulnerability high/medium/low/informational, spyware, virus, url).
-- With attack_step > 0, every attack_step-th row (12,000 of them) is planted instead:
-- 200 port scanners (20 ports on one host), 200 host sweepers (20 hosts on one port),
-- 100 exploiters (5 critical vulnerability THREAT rows each), 3,500 listed addresses (one deny each).
CREATE FUNCTION bench_generate(tpl text, n bigint, attack_step bigint) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE generated bigint;
BEGIN
  EXECUTE format($q$
  INSERT INTO %I (i, received_at, device, sender, format, log_type, subtype, src_ip, dst_ip, src_port, dst_port,
                  action, protocol, application, threat_name, threat_id, severity)
  SELECT i, 'epoch', 'PA-BENCH-' || (i %% 2), CASE WHEN i %% 2 = 0 THEN inet '192.0.2.1' ELSE inet '192.0.2.2' END, 'csv',
         CASE WHEN kind IN ('threat', 'exploit') THEN 'THREAT' ELSE 'TRAFFIC' END,
         CASE kind WHEN 'exploit' THEN 'vulnerability'
                   WHEN 'threat' THEN (ARRAY['vulnerability','vulnerability','spyware','virus','url'])[1 + (h %% 5)::int]
                   WHEN 'out' THEN 'end' ELSE 'deny' END,
         src, dst, 1024 + (h %% 64000)::int, port,
         CASE kind WHEN 'out' THEN 'allow' WHEN 'threat' THEN 'alert' WHEN 'exploit' THEN 'reset-both' ELSE 'deny' END,
         CASE WHEN port IN (53, 123, 5060) THEN 'udp' ELSE 'tcp' END,
         CASE kind WHEN 'out' THEN 'ssl' ELSE 'incomplete' END,
         CASE kind WHEN 'exploit' THEN 'Apache Log4j Remote Code Execution Vulnerability'
                   WHEN 'threat' THEN 'HTTP Directory Traversal Request Attempt' END,
         CASE kind WHEN 'exploit' THEN 91991 WHEN 'threat' THEN 30844 END,
         CASE kind WHEN 'exploit' THEN 'critical'
                   WHEN 'threat' THEN (ARRAY['high','medium','low','informational'])[1 + (h / 7 %% 4)::int] END
  FROM (SELECT i, h, kind,
               CASE kind
                 WHEN 'out'     THEN '10.0.0.0'::inet + s
                 WHEN 'scan'    THEN bench_public(1000000 + a %% 200)
                 WHEN 'sweep'   THEN bench_public(2000000 + (a - 4000) %% 200)
                 WHEN 'exploit' THEN bench_public(3000000 + (a - 8000) %% 100)
                 WHEN 'listed'  THEN bench_public(4000000 + (a - 8500))
                 ELSE bench_public(h %% 20000) END AS src,
               CASE kind
                 WHEN 'out'     THEN bench_public(5000000 + CASE WHEN s < 1000 THEN (i / 7) %% 200 ELSE (s * 7 + i %% 3) %% 200 END)
                 WHEN 'scan'    THEN bench_ours(a %% 200)
                 WHEN 'sweep'   THEN bench_ours((a - 4000) %% 200 + 13 * ((a - 4000) / 200))
                 WHEN 'exploit' THEN bench_ours(a)
                 WHEN 'listed'  THEN bench_ours(a)
                 ELSE bench_ours((h %% 20000) * 13 + i %% 2) END AS dst,
               CASE kind
                 WHEN 'out'     THEN (ARRAY[443,443,443,443,443,443,80,80,53,123])[1 + (i / 3 %% 10)::int]
                 WHEN 'scan'    THEN (ARRAY[21,22,23,25,53,80,110,135,139,143,443,445,993,995,1433,3306,3389,5900,8080,8443])[1 + (a / 200)::int]
                 WHEN 'sweep'   THEN (ARRAY[22,23,445,3389,5900])[1 + ((a - 4000) %% 5)::int]
                 WHEN 'exploit' THEN (ARRAY[80,443])[1 + (a %% 2)::int]
                 WHEN 'listed'  THEN (ARRAY[443,22,3389])[1 + (a %% 3)::int]
                 ELSE (ARRAY[443,80,22,3389,445,23,8080,25,53,5060])[1 + ((h %% 20000 + i %% 2) %% 10)::int] END AS port
        FROM (SELECT i, h, s, a,
                     CASE WHEN $2 > 0 AND i %% $2 = 0 AND a < 4000  THEN 'scan'
                          WHEN $2 > 0 AND i %% $2 = 0 AND a < 8000  THEN 'sweep'
                          WHEN $2 > 0 AND i %% $2 = 0 AND a < 8500  THEN 'exploit'
                          WHEN $2 > 0 AND i %% $2 = 0 AND a < 12000 THEN 'listed'
                          WHEN i %% 100 < 70 THEN 'out'
                          WHEN i %% 100 < 95 THEN 'in'
                          ELSE 'threat' END AS kind
              FROM (SELECT i, (i * 2654435761) %% 4294967296 AS h, ((i * 2654435761) %% 4294967296) %% 40000 AS s,
                           CASE WHEN $2 > 0 THEN i / $2 - 1 ELSE 0 END AS a
                    FROM generate_series(1::bigint, $1) AS i) g0) g1) g$q$, tpl)
  USING n, attack_step;
  GET DIAGNOSTICS generated = ROW_COUNT;
  RETURN generated;
END
$fn$;

-- Copies the first n template rows into table target, in order, at times spread evenly over
-- [from_ts, to_ts), keeping those in [lo, hi) (one UTC day).
CREATE FUNCTION bench_copy(target text, tpl text, n bigint, from_ts timestamptz, to_ts timestamptz,
                           lo timestamptz, hi timestamptz) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE copied bigint;
BEGIN
  EXECUTE format($q$
  INSERT INTO %I
  SELECT t, device, sender, format, log_type, subtype, src_ip, dst_ip, src_port, dst_port, src_location,
         dst_location, src_user, src_zone, dst_zone, rule_name, rule_uuid, action, protocol, application,
         threat_name, threat_id, severity, generated_at, raw
  FROM (SELECT $2 + ((i - 1) * $3 / $1) * interval '1 microsecond' AS t, * FROM %I WHERE i <= $1) s
  WHERE t >= $4 AND t < $5$q$, target, tpl)
  USING n, from_ts, (extract(epoch FROM to_ts - from_ts) * 1000000)::bigint, lo, hi;
  GET DIAGNOSTICS copied = ROW_COUNT;
  RETURN copied;
END
$fn$;

-- A day's partition is built as a table of its own (bench_part_YYYYMMDD) with the indexes the
-- service's partitions have, then swapped in: direct INSERTs through the partitioned table's
-- indexes ran at 20-25 s per million rows here, too slow for 50 M rows.
CREATE FUNCTION bench_day_start(day date) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
  SELECT day::timestamp AT TIME ZONE 'UTC'
$$;
CREATE FUNCTION bench_new_partition(day date) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE staged text := 'bench_part_' || to_char(day, 'YYYYMMDD');
BEGIN
  EXECUTE format('DROP TABLE IF EXISTS %I', staged);
  EXECUTE format('CREATE TABLE %I (LIKE firewall_log)', staged);
  RETURN staged;
END
$fn$;
CREATE FUNCTION bench_index_partition(day date) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE staged text := 'bench_part_' || to_char(day, 'YYYYMMDD');
BEGIN
  EXECUTE format('CREATE INDEX %I ON %I USING brin (received_at) WITH (pages_per_range = 16)', staged || '_received_at_idx', staged);
  EXECUTE format('CREATE INDEX %I ON %I (src_ip)', staged || '_src_ip_idx', staged);
  EXECUTE format('CREATE INDEX %I ON %I (dst_ip)', staged || '_dst_ip_idx', staged);
  -- lets ATTACH PARTITION skip its validation scan
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT bench_range CHECK (received_at >= %L AND received_at < %L)',
                 staged, bench_day_start(day), bench_day_start(day + 1));
END
$fn$;
-- Replaces the day's partition (if any) with the built table, in one transaction; returns its rows.
CREATE FUNCTION bench_swap_partition(day date) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  staged text := 'bench_part_' || to_char(day, 'YYYYMMDD');
  part   text := 'firewall_log_' || to_char(day, 'YYYYMMDD');
  n      bigint;
  col    text;
BEGIN
  EXECUTE format('SELECT count(*) FROM %I', staged) INTO n;
  EXECUTE format('DROP TABLE IF EXISTS %I', part);
  EXECUTE format('ALTER TABLE %I RENAME TO %I', staged, part);
  FOREACH col IN ARRAY ARRAY['received_at', 'src_ip', 'dst_ip'] LOOP
    EXECUTE format('ALTER INDEX %I RENAME TO %I', staged || '_' || col || '_idx', part || '_' || col || '_idx');
  END LOOP;
  EXECUTE format('ALTER TABLE firewall_log ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                 part, bench_day_start(day), bench_day_start(day + 1));
  EXECUTE format('ALTER TABLE %I DROP CONSTRAINT bench_range', part);
  INSERT INTO bench_loaded VALUES (day, n) ON CONFLICT ON CONSTRAINT bench_loaded_pkey DO UPDATE SET rows = EXCLUDED.rows;
  RETURN n;
END
$fn$;
SQL

secs_since() { echo $(( $(date +%s) - $1 )); }

# ------------------------------------------------------------------ templates
log "generating the row templates: $(( ROWS_PER_DAY > RECENT_ROWS ? ROWS_PER_DAY : RECENT_ROWS )) background rows, $WINDOW_ROWS window rows with the planted attackers"
t=$(date +%s)
Q "SELECT bench_generate('bench_filler_tpl', $(( ROWS_PER_DAY > RECENT_ROWS ? ROWS_PER_DAY : RECENT_ROWS )), 0)" >/dev/null &
p1=$!
Q "SELECT bench_generate('bench_window_tpl', $WINDOW_ROWS, $(( WINDOW_ROWS / 12000 )))" >/dev/null &
p2=$!
LOADER_PIDS=($p1 $p2)
wait $p1 && wait $p2 || die "generating the templates failed"
LOADER_PIDS=()
# now, so that autovacuum does not take them on (8 M fresh rows) during the first size's runs
"${PSQL[@]}" -c "VACUUM (ANALYZE) bench_filler_tpl" -c "VACUUM (ANALYZE) bench_window_tpl"
GENERATE_S=$(secs_since $t)
log "templates generated in $GENERATE_S s"

# ------------------------------------------------------------------ blacklist before the first run
Q "INSERT INTO blacklist (address, case_name, source, first_seen, last_seen, evidence)
   SELECT bench_public(4000000 + j), 'port-scan', 'detected', now() - interval '2 days', now() - interval '1 day', '{\"bench\": true}'
   FROM generate_series(0, $LISTED - 1) AS j" >/dev/null

# ------------------------------------------------------------------ loading
PSQL_LOAD_SETTINGS="SET maintenance_work_mem = '256MB'; SET synchronize_seqscans = off;"
# older days: all rows of one day, evenly spread, then VACUUM (as long-settled data would be)
load_day() {  # load_day YYYY-MM-DD rows
  "${PSQL[@]}" -At >/dev/null <<SQL
$PSQL_LOAD_SETTINGS
SELECT bench_copy(bench_new_partition('$1'), 'bench_filler_tpl', $2, bench_day_start('$1'), bench_day_start(date '$1' + 1),
                  bench_day_start('$1'), bench_day_start(date '$1' + 1));
SELECT bench_index_partition('$1');
VACUUM bench_part_${1//-/};
SELECT bench_swap_partition('$1');
SQL
}
add_older_rows() {  # add_older_rows rows: day by day backwards from OLDER_DAY, LOAD_JOBS at a time
  local rows=$1 days per day k n loaded=()
  days=$(( (rows + ROWS_PER_DAY - 1) / ROWS_PER_DAY )); per=$(( rows / days ))
  LOADER_PIDS=()
  for ((k = 0; k < days; k++)); do
    day=$OLDER_DAY
    OLDER_DAY=$(date -u -d "$OLDER_DAY - 1 day" +%F)
    n=$per; (( k > 0 )) || n=$(( per + rows - per * days ))
    while (( $(running_loaders) >= LOAD_JOBS )); do sleep 1; done
    ( load_day "$day" "$n" && touch "$WORK/loaded-$day" ) &
    LOADER_PIDS+=($!); loaded+=("$day")
  done
  for k in "${LOADER_PIDS[@]}"; do wait "$k" 2>/dev/null || true; done
  LOADER_PIDS=()
  for day in "${loaded[@]}"; do [ -f "$WORK/loaded-$day" ] || die "loading $day failed"; done
}
running_loaders() { local n=0 p; for p in "${LOADER_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && n=$((n + 1)); done; echo $n; }
# the newest partitions: the recent background rows, then the window ending now (T0), in time order
rebuild_recent() {
  T0=$(Q "SELECT now()")
  T0_EPOCH=$(Q "SELECT floor(extract(epoch FROM timestamptz '$T0'))::bigint")
  local day days
  days=$(Q "SELECT string_agg(d::date::text, ' ') FROM generate_series(('$RECENT_FROM'::timestamptz AT TIME ZONE 'UTC')::date,
                                                                   ('$T0'::timestamptz AT TIME ZONE 'UTC')::date, interval '1 day') AS d")
  for day in $days; do
    "${PSQL[@]}" -At >/dev/null <<SQL
$PSQL_LOAD_SETTINGS
SELECT bench_copy(bench_new_partition('$day'), 'bench_filler_tpl', $RECENT_ROWS,
                  '$RECENT_FROM', timestamptz '$RECENT_FROM' + interval '$RECENT_HOURS hours',
                  bench_day_start('$day'), bench_day_start(date '$day' + 1));
SELECT bench_copy('bench_part_${day//-/}', 'bench_window_tpl', $WINDOW_ROWS,
                  timestamptz '$T0' - interval '$WINDOW_SPAN_SECONDS seconds', '$T0',
                  bench_day_start('$day'), bench_day_start(date '$day' + 1));
SELECT bench_index_partition('$day');
SELECT bench_swap_partition('$day');
SQL
  done
}

# ------------------------------------------------------------------ detection runs
RESULTS="$WORK/results.tsv"   # size, run, service ms, wall ms
: > "$RESULTS"
run_detection() {  # run_detection size run
  local out="$WORK/run-$1-$2.json" samples="$WORK/samples-$1-$2.txt" wall sampler
  # what the service's session is doing, every 0.5 s: which of its queries is running
  rm -f "$WORK/stop-sampling"
  ( while [ ! -f "$WORK/stop-sampling" ]; do echo "$SAMPLE_SQL"; sleep 0.5; done | "${PSQL[@]}" -At > "$samples" ) &
  sampler=$!
  # in the background, so that a TERM stops the script at once, not after the run
  curl -s -o "$out" -w '%{time_total}' --max-time 1800 -u admin:bench-pass -X POST "$BASE/api/detection/run" > "$WORK/wall" &
  CURL_PID=$!
  wait $CURL_PID || die "POST /api/detection/run failed (see $WORK/service.log)"
  CURL_PID=''
  touch "$WORK/stop-sampling"; wait $sampler || true
  wall=$(cat "$WORK/wall")
  # rows only ever leave the window: if it still holds them all now, the run saw them all
  in_window=$(Q "SELECT count(*) FROM firewall_log WHERE received_at >= now() - make_interval(mins => $WINDOW_MINUTES)")
  LAST_RUN_S=$(python3 -c "import math; print(math.ceil($wall))")
  python3 - "$out" "$wall" "$1" "$2" "$RESULTS" "$in_window" "$WINDOW_ROWS" "$samples" <<'PY'
import collections, json, sys
from datetime import datetime
path, wall, size, run, results, in_window, window_rows, samples = sys.argv[1:]
r = json.load(open(path))
def ts(s):  # Java's Instant.toString(): nanoseconds and a Z
    s = s.rstrip('Z')
    if '.' in s:
        head, frac = s.split('.')
        s = head + '.' + (frac + '000000')[:6]
    return datetime.fromisoformat(s)
ms = (ts(r['finishedAt']) - ts(r['startedAt'])).total_seconds() * 1000
wall_ms = float(wall) * 1000
m = r.get('matches') or {}
print(f"    run {run}: {ms:7.0f} ms (curl {wall_ms:6.0f} ms)  status {r['status']}; matches port-scan {m.get('port-scan')}, "
      f"host-sweep {m.get('host-sweep')}, vulnerability {m.get('vulnerability')}; added {len(r['added'])}, "
      f"refreshed {len(r['refreshed'])}, stopped {len(r['stopped'])}, refreshed by activity {r['refreshedByActivity']}")
if r['status'] != 'ok':
    print(f"    run {run} FAILED: {r.get('error')}")
ticks = [l for l in open(samples).read().split() if l]
if ticks:
    seen = collections.Counter(ticks)
    print('           in the database (sampled every 0.5 s): ' + ', '.join(
        f"{k} {seen[k] * ms / 1000 / len(ticks):.1f} s" for k in ['port-scan', 'host-sweep', 'vulnerability', 'refresh', 'other', 'none'] if seen[k])
        + ' (none = no statement running)')
if in_window != window_rows:
    print(f"    WARNING: run {run}: the window held {in_window} rows after the run, not {window_rows}")
with open(results, 'a') as f:
    f.write(f"{size}\t{run}\t{ms:.1f}\t{wall_ms:.1f}\t{r['status']}\n")
PY
}

# The SQL the service runs (read from the jar), with its ? parameters filled in as the service fills
# them, going by the file's "-- Parameters:" comment.
NEVER_BLOCKED="'{10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,127.0.0.0/8,169.254.0.0/16,fc00::/7,fe80::/10,::1/128}'::inet[]"
service_sql() {  # service_sql name
  python3 - "$JAR" "$1" "$WINDOW_MINUTES" "$THRESHOLD" "$NEVER_BLOCKED" <<'PY'
import re, sys, zipfile
jar, name, window, threshold, networks = sys.argv[1:]
text = zipfile.ZipFile(jar).read(f"sql/{name}.sql").decode()
lines = text.splitlines()
doc, collecting = '', False
for line in lines:
    if line.startswith('-- Parameter'):
        collecting = True
    elif not line.startswith('--'):
        break
    if collecting:
        doc += ' ' + line[2:].strip()
items = re.split(r',\s*(?=\d+\s)', doc.split(':', 1)[1].strip().rstrip('.')) if doc else []
params = []
for item in items:
    d = item.lower()
    if 'subtype' in d: params.append("'{vulnerability}'::text[]")
    elif 'severit' in d: params.append("'{critical}'::text[]")
    elif 'network' in d: params.append(networks)
    elif 'threshold' in d: params.append(threshold)
    elif 'window' in d: params.append(window)
    else: sys.exit(f"sql/{name}.sql: no value known for parameter '{item}' (teach service_sql in the script)")
sql = '\n'.join(l for l in lines if not l.lstrip().startswith('--'))
parts = sql.split('?')
if len(parts) - 1 != len(params):
    sys.exit(f"sql/{name}.sql: {len(parts) - 1} placeholders but {len(params)} parameters documented")
print(parts[0] + ''.join(p + rest for p, rest in zip(params, parts[1:])))
PY
}
# the service's detect.work-mem-mb, if the jar's DetectionEngine sets work_mem for its runs
WORK_MEM_MB=''
if python3 -c 'import sys, zipfile; sys.exit(b"work_mem" not in zipfile.ZipFile(sys.argv[1]).read("org/activedefense/detect/DetectionEngine.class"))' "$JAR"; then
  WORK_MEM_MB=$(awk -F'=' '$1 ~ /^detect\.work-mem-mb *$/ { gsub(/ /, "", $2); print $2 }' application.properties)
fi
explain() {  # explain name: the service's query, in a transaction rolled back
  local sql
  sql=$(service_sql "$1") || die "cannot prepare sql/$1.sql for EXPLAIN"
  echo; echo "### $1.sql"; echo '```'
  "${PSQL[@]}" -c "BEGIN" -c "SET LOCAL work_mem = '${WORK_MEM_MB:-4}MB'" -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) $sql" -c "ROLLBACK" \
    | sed 's/^ *QUERY PLAN *$//; /^-*$/d; /^$/d'
  echo '```'
}
SQLDIR=src/main/resources/sql
SAMPLE_SQL="SELECT coalesce((SELECT CASE WHEN query LIKE '-- Case 1%' THEN 'port-scan'
  WHEN query LIKE '-- Case 2%' THEN 'host-sweep' WHEN query LIKE '-- Case 3%' THEN 'vulnerability'
  WHEN query LIKE '-- Moves last_seen%' THEN 'refresh' ELSE 'other' END
  FROM pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()
  ORDER BY query_start LIMIT 1), 'none');"

prepare_runs() {  # what the service would have done by now: statistics, BRIN summaries; and a quiet disk
  Q "ANALYZE firewall_log" >/dev/null
  Q "SELECT summarize_firewall_log_index()" >/dev/null
  Q "CHECKPOINT" >/dev/null
}
# The oldest window row leaves the window WINDOW_LIFE seconds after T0. A run (or the plans) that
# might end later gets a fresh window first: same rows, written again ending now (not timed).
WINDOW_LIFE=$(( WINDOW_MINUTES * 60 - WINDOW_SPAN_SECONDS ))
fresh_window() {  # fresh_window seconds-the-next-step-may-take
  local left=$(( T0_EPOCH + WINDOW_LIFE - $(date +%s) ))
  (( left > $1 + 15 )) && return 0
  log "    (writing the window again: ${left} s of it left, the next step may take $1 s)"
  rebuild_recent
  prepare_runs
}

# ------------------------------------------------------------------ the sizes
LOAD_S=()
prev=0
for size in "${sizes[@]}"; do
  echo
  log "=== $(num "$size") rows ==="
  t=$(date +%s)
  if (( prev == 0 )); then
    RECENT_FROM=$(Q "SELECT now() - interval '$RECENT_GAP_MINUTES minutes' - interval '$RECENT_HOURS hours'")
    OLDER_DAY=$(Q "SELECT (('$RECENT_FROM'::timestamptz AT TIME ZONE 'UTC')::date - 1)::text")
  else
    (( size > prev )) || die "SIZES must grow"
    log "adding $(num $((size - prev))) rows on older days ($ROWS_PER_DAY a day at most, $LOAD_JOBS loaders)"
    add_older_rows $((size - prev))
  fi
  Q "CHECKPOINT" >/dev/null   # the older days' writes, before the window's clock starts
  log "rebuilding the newest partition(s): $(num $RECENT_ROWS) rows over $RECENT_HOURS h, then the $(num $WINDOW_ROWS) window rows over the $WINDOW_SPAN_SECONDS s before now"
  rebuild_recent
  load_s=$(secs_since $t)
  LOAD_S+=("$load_s")
  total=$(Q "SELECT sum(rows) FROM bench_loaded l JOIN pg_inherits i ON i.inhrelid = to_regclass('firewall_log_' || to_char(l.day, 'YYYYMMDD'))")
  (( total == size )) || die "firewall_log holds $total rows, expected $size"
  # every size starts from the same blacklist: the listed addresses, none of the attackers
  Q "DELETE FROM blacklist WHERE NOT evidence ? 'bench'; UPDATE blacklist SET last_seen = now() - interval '1 day'" >/dev/null
  t=$(date +%s)
  prepare_runs
  log "loaded in $load_s s; ANALYZE, summarize the BRIN index, CHECKPOINT: $(secs_since $t) s"
  log "detection, $RUNS runs (window ${WINDOW_MINUTES} min, threshold ${THRESHOLD}, vulnerability level 1):"
  for ((r = 1; r <= RUNS; r++)); do
    (( r == 1 )) || fresh_window $(( LAST_RUN_S * 3 / 2 ))
    run_detection "$size" "$r"
  done
  if (( size == largest )); then
    fresh_window $(( LAST_RUN_S * 3 ))
    echo; log "plans at $(num "$size") rows: the jar's SQL with the parameters the service uses, work_mem ${WORK_MEM_MB:-4}MB"
    explain detect-port-scan
    explain detect-host-sweep
    explain detect-vulnerability
    explain refresh-blacklist
    echo
  fi
  in_window=$(Q "SELECT count(*) FROM firewall_log WHERE received_at >= now() - make_interval(mins => $WINDOW_MINUTES)")
  age=$(Q "SELECT round(extract(epoch FROM now() - '$T0'::timestamptz))")
  if (( in_window == WINDOW_ROWS )); then
    log "the window still held exactly $(num "$in_window") rows at the end ($age s after it was written)"
  else
    log "WARNING: the window held $in_window rows, not $WINDOW_ROWS, at the end ($age s after it was written)"
  fi
  Q "SELECT '    partitions: ' || count(*) || ', ' || pg_size_pretty(sum(pg_total_relation_size(inhrelid))) || ' with indexes; received_at correlation min '
            || (SELECT round(min(correlation)::numeric, 3) FROM pg_stats WHERE tablename LIKE 'firewall_log_2%' AND attname = 'received_at')
     FROM pg_inherits WHERE inhparent = 'firewall_log'::regclass"
  prev=$size
done
TOTAL_ROWS_BYTES=$(Q "SELECT pg_size_pretty(pg_database_size('postgres'))")

# ------------------------------------------------------------------ EDL
echo
log "=== EDL: $(num "$EDL_ENTRIES") entries ==="
Q "INSERT INTO blacklist (address, case_name, source, first_seen, last_seen, evidence)
   SELECT bench_public(6000000 + j), 'host-sweep', 'detected', now() - interval '2 days', now() - interval '1 day' - j * interval '1 second', '{\"bench\": true}'
   FROM generate_series(1, $EDL_ENTRIES - (SELECT count(*) FROM blacklist)) AS j" >/dev/null
mkdir -p "$WORK/edl"
EDL="$BASE/files/blacklist.txt"
for ((i = 0; i < 60; i++)); do  # the service reuses a rendered list for edl.cache-seconds
  curl -s --max-time 10 -D "$WORK/edl/headers" -o "$WORK/edl/blacklist.txt" "$EDL"
  (( $(wc -l < "$WORK/edl/blacklist.txt") == EDL_ENTRIES )) && break
  sleep 1
done
(( i < 60 )) || die "the EDL did not reach $EDL_ENTRIES lines in 60 s"
BODY_BYTES=$(stat -c %s "$WORK/edl/blacklist.txt")
ETAG=$(awk 'tolower($1) == "etag:" { sub(/\r$/, ""); print $2 }' "$WORK/edl/headers")
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "If-None-Match: $ETAG" "$EDL")
[ "$code" = 304 ] || die "If-None-Match: $ETAG answered $code, not 304"
log "body $(num "$BODY_BYTES") bytes, ETag $ETAG (If-None-Match answers 304)"

# the same-run baseline: the same bytes as a static file from python3's http.server (HTTP/1.1 keep-alive)
BASE_PORT=$(free_port)
python3 - "$WORK/edl" "$BASE_PORT" > "$WORK/baseline-server.log" 2>&1 <<'PY' &
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *args): pass
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128
Server(('127.0.0.1', int(sys.argv[2])), functools.partial(Handler, directory=sys.argv[1])).serve_forever()
PY
BASELINE_PID=$!
for ((i = 0; i < 50; i++)); do curl -sf --max-time 2 -o /dev/null "http://127.0.0.1:$BASE_PORT/blacklist.txt" && break; sleep 0.2; done
(( i < 50 )) || die "the baseline server did not start"
LAST_MODIFIED=$(curl -s -D - -o /dev/null "http://127.0.0.1:$BASE_PORT/blacklist.txt" | awk -F': ' 'tolower($1) == "last-modified" { sub(/\r$/, "", $2); print $2 }')
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-Modified-Since: $LAST_MODIFIED" "http://127.0.0.1:$BASE_PORT/blacklist.txt")
[ "$code" = 304 ] || die "the baseline answered $code to If-Modified-Since"

WRK_RESULTS="$WORK/wrk.tsv"   # label, run, requests/s, latency avg ms, p50 ms, p99 ms, errors
: > "$WRK_RESULTS"
run_wrk() {  # run_wrk label run url [header]
  local out="$WORK/wrk-$1-$2.txt"
  if [ -n "${4:-}" ]; then
    timeout $((WRK_SECONDS + 60)) wrk -t2 -c32 -d"${WRK_SECONDS}s" --latency --timeout 10s -H "$4" "$3" > "$out"
  else
    timeout $((WRK_SECONDS + 60)) wrk -t2 -c32 -d"${WRK_SECONDS}s" --latency --timeout 10s "$3" > "$out"
  fi
  awk -v label="$1" -v run="$2" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "Latency" && !avg { avg = ms($2) }
    $1 == "50%" { p50 = ms($2) }  $1 == "99%" { p99 = ms($2) }
    $1 == "Requests/sec:" { rps = $2 }
    /Non-2xx or 3xx|Socket errors/ { err = err $0 " " }
    END { printf "%s\t%s\t%s\t%.2f\t%.2f\t%.2f\t%s\n", label, run, rps, avg, p50, p99, err }' "$out" | tee -a "$WRK_RESULTS" \
    | awk -F'\t' '{ printf "    %-14s run %s: %9.1f req/s, latency avg %7.2f ms, p50 %7.2f ms, p99 %7.2f ms %s\n", $1, $2, $3, $4, $5, $6, $7 }'
}
log "wrk -t2 -c32 -d${WRK_SECONDS}s, $WRK_RUNS runs each (ours and the baseline alternate)"
for ((r = 1; r <= WRK_RUNS; r++)); do
  run_wrk ours-200 "$r" "$EDL"
  run_wrk baseline-200 "$r" "http://127.0.0.1:$BASE_PORT/blacklist.txt"
  run_wrk ours-304 "$r" "$EDL" "If-None-Match: $ETAG"
  run_wrk baseline-304 "$r" "http://127.0.0.1:$BASE_PORT/blacklist.txt" "If-Modified-Since: $LAST_MODIFIED"
done
stop_pid "$BASELINE_PID" 5; BASELINE_PID=''

# ------------------------------------------------------------------ summary
WARNINGS=$(grep -cE ' (WARN|ERROR) ' "$WORK/service.log" || true)
python3 - "$RESULTS" "$WRK_RESULTS" <<PY
import statistics as st, sys
runs = [l.split('\t') for l in open(sys.argv[1]).read().splitlines()]
wrk = [l.split('\t') for l in open(sys.argv[2]).read().splitlines()]
sizes = [int(s) for s in "$SIZES".split()]
loads = [int(s) for s in "${LOAD_S[*]}".split()]
print()
print('==== Detection and EDL benchmark: summary ====')
print(f"date $(date -u +%FT%TZ), nproc $(nproc), load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)")
print(f"service jar $JAR; embedded PostgreSQL $PG_INFO (detection sets work_mem ${WORK_MEM_MB:-no, 4}MB); database at the end $TOTAL_ROWS_BYTES")
print(f"window: {$WINDOW_ROWS:,} rows in the last $WINDOW_MINUTES min (written over the $WINDOW_SPAN_SECONDS s before the runs), "
      f"$SCANNERS port scanners, $SWEEPERS host sweepers, $EXPLOITERS critical exploiters planted, "
      f"$BUSY_CLIENTS busy internal clients over the sweep threshold (never blockable); {$LISTED:,} listed before, {$LISTED_ACTIVE:,} of them active")
print(f"generate: templates $GENERATE_S s; load " + ', '.join(f"{s/1e6:g} M {t} s" for s, t in zip(sizes, loads))
      + f" (total {$GENERATE_S + sum(loads)} s)")
print('detection run, ms (service finishedAt - startedAt; curl wall time in brackets):')
print(f"  {'rows':>12}  {'first':>7}  {'median':>7}  {'min-max':>13}  {'wall median':>11}")
med = {}
for s in sizes:
    rs = [r for r in runs if int(r[0]) == s]
    ms = [float(r[2]) for r in rs]; wall = [float(r[3]) for r in rs]
    med[s] = st.median(ms)
    print(f"  {s:>12,}  {ms[0]:7.0f}  {st.median(ms):7.0f}  {min(ms):6.0f}-{max(ms):<6.0f}  ({st.median(wall):7.0f})")
worst = max(float(r[2]) for r in runs)
failed = [r for r in runs if r[4] != 'ok']
first, last = sizes[0], sizes[-1]
change = (med[last] - med[first]) / med[first] * 100
firsts = {s: float(next(r for r in runs if int(r[0]) == s)[2]) for s in sizes}
print(f"criteria: every run < 5 s: {'PASS' if worst < 5000 and not failed else 'FAIL'} (slowest {worst:.0f} ms"
      + (f", {len(failed)} runs not ok" if failed else '') + ')')
verdict = 'PASS' if abs(change) <= 20 else 'FAIL' + (' (the larger table was faster)' if change < 0 else '')
print(f"          {first/1e6:g} M vs {last/1e6:g} M within 20 %: {verdict} "
      f"(median {change:+.0f} %, first run {(firsts[last] - firsts[first]) / firsts[first] * 100:+.0f} %)")
print(f"EDL: {$EDL_ENTRIES:,} entries, body {$BODY_BYTES:,} bytes; wrk -t2 -c32 -d${WRK_SECONDS}s, $WRK_RUNS runs, median (min-max):")
rps = {}
for label, what in [('ours-200', 'GET /files/blacklist.txt (200)'), ('ours-304', 'If-None-Match (304)'),
                    ('baseline-200', 'python3 http.server, same file (200)'), ('baseline-304', 'python3, If-Modified-Since (304)')]:
    rows = [w for w in wrk if w[0] == label]
    r = [float(w[2]) for w in rows]; lat = [float(w[3]) for w in rows]; p99 = [float(w[5]) for w in rows]
    rps[label] = st.median(r)
    errors = ' '.join(w[6] for w in rows if len(w) > 6 and w[6].strip())
    print(f"  {what:38} {st.median(r):9.0f} req/s ({min(r):.0f}-{max(r):.0f}), latency avg {st.median(lat):.1f} ms, "
          f"p99 {st.median(p99):.1f} ms" + (f"  [{errors}]" if errors else ''))
print(f"  ratio ours / baseline: 200 {rps['ours-200'] / rps['baseline-200']:.2f}, 304 {rps['ours-304'] / rps['baseline-304']:.2f}")
print(f"service log: $WARNINGS WARN/ERROR lines ($WORK/service.log); total time $(secs_since $BENCH_START) s")
PY
