# Shared by bench/soak-benchmark.sh and bench/rsyslog-benchmark.sh: start and measure the service jar.
# Source it from the repository root after setting WORK (a scratch folder) and JAR.

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_service EXTRA_JAVA_OPTS... : runs the jar from $WORK/service (copies of routes/ and
# application.properties) on free ports with its embedded PostgreSQL under $WORK; sets SVC_PID,
# HTTP_PORT, TCP_PORT, PG_PORT.
start_service() {
    mkdir -p "$WORK/service"
    cp -r routes application.properties "$WORK/service/"
    HTTP_PORT=$(free_port); TCP_PORT=$(free_port); UDP_PORT=$(free_port); PG_PORT=$(free_port)
    MANAGEMENT_PORT=$(free_port)  # metrics live on the management port, behind its login (docs/monitoring.md)
    (cd "$WORK/service" && exec java -Xmx512m \
        -Dhttp.port="$HTTP_PORT" -Dsyslog.tcp.port="$TCP_PORT" -Dsyslog.udp.port="$UDP_PORT" \
        -Dsyslog.bind-address=127.0.0.1 -Ddb.embedded.port="$PG_PORT" -Dadmin.password=bench-admin-password \
        -Dmanagement.port="$MANAGEMENT_PORT" -Dmanagement.password=bench-management-password \
        "$@" -jar "$JAR" >"$WORK/service.log" 2>&1) &
    SVC_PID=$!
    for _ in $(seq 1 240); do
        if grep -q "Routes startup (total:" "$WORK/service.log" 2>/dev/null \
                && curl -sf "http://127.0.0.1:$HTTP_PORT/observe/health" >/dev/null; then
            return 0
        fi
        kill -0 "$SVC_PID" 2>/dev/null || { echo "service exited; log: $WORK/service.log" >&2; exit 2; }
        sleep 0.5
    done
    echo "service did not start in 120 s; log: $WORK/service.log" >&2
    exit 2
}

stop_service() {
    if [[ -n "${SVC_PID:-}" ]] && kill -0 "$SVC_PID" 2>/dev/null; then
        kill -TERM "$SVC_PID"
        wait "$SVC_PID" 2>/dev/null || true
    fi
}

metrics_text() { # the Prometheus scrape of the management port
    curl -s -u monitor:bench-management-password "http://127.0.0.1:$MANAGEMENT_PORT/observe/metrics"
}

metric() { # metric NAME_WITH_LABELS -> value (0 when absent)
    metrics_text | awk -v n="$1" '$1 == n { print $2; found=1 } END { if (!found) print 0 }'
}

psql_q() { # psql_q SQL -> single value
    PGPASSWORD= psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc "$1"
}

cpu_seconds() { # cpu_seconds PID: utime+stime of the process and its reaped children, in seconds
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13 + $14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}

pg_cpu_seconds() { # the embedded PostgreSQL: postmaster (with reaped children) plus its live children
    local pm total=0 c
    pm=$(head -1 "$WORK/service/data/postgres/postmaster.pid")
    total=$(cpu_seconds "$pm")
    for c in $(pgrep -P "$pm"); do
        total=$(echo "$total + $(awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) / hz }' "/proc/$c/stat" 2>/dev/null || echo 0)" | bc -l)
    done
    echo "$total"
}

heap_mib() { # heap used by the service JVM, MiB (S0U+S1U+EU+OU)
    jstat -gc "$SVC_PID" 2>/dev/null | awk 'NR == 2 { printf "%.0f", ($3 + $4 + $6 + $8) / 1024 }'
}
