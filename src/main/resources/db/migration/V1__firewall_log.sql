-- One typed row per received PAN-OS log line, partitioned by day (UTC) on the server's receive time
-- so that retention drops whole days and the detection window reads only the newest partitions.
CREATE TABLE firewall_log (
    received_at  timestamptz NOT NULL,
    device       text        NOT NULL,
    sender       inet        NOT NULL,
    format       text,
    log_type     text,
    subtype      text,
    src_ip       inet,
    dst_ip       inet,
    src_port     integer,
    dst_port     integer,
    src_location text,
    dst_location text,
    src_user     text,
    src_zone     text,
    dst_zone     text,
    rule_name    text,
    rule_uuid    text,
    action       text,
    protocol     text,
    application  text,
    threat_name  text,
    threat_id    bigint,
    severity     text,
    generated_at timestamptz,
    raw          text
) PARTITION BY RANGE (received_at);

-- Rows arrive in receive-time order, so a BRIN index finds a time window for a few pages of index;
-- the detection queries and the console's time filters use it. See docs/storage.md for EXPLAIN.
CREATE INDEX firewall_log_received_at_brin ON firewall_log USING brin (received_at) WITH (pages_per_range = 16);
-- The console's most common questions: what did this address do, and who hit this host.
CREATE INDEX firewall_log_src_ip ON firewall_log (src_ip);
CREATE INDEX firewall_log_dst_ip ON firewall_log (dst_ip);

-- Creates the daily partitions from days_back days ago to days_ahead days ahead (UTC days);
-- returns how many it created. Safe to call from several nodes at once.
CREATE FUNCTION ensure_firewall_log_partitions(days_back integer, days_ahead integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    today   date := (now() AT TIME ZONE 'UTC')::date;
    d       date;
    name    text;
    created integer := 0;
BEGIN
    FOR d IN SELECT generate_series(today - days_back, today + days_ahead, interval '1 day')::date LOOP
        name := 'firewall_log_' || to_char(d, 'YYYYMMDD');
        IF to_regclass(name) IS NULL THEN
            BEGIN
                EXECUTE format(
                    'CREATE TABLE %I PARTITION OF firewall_log FOR VALUES FROM (%L) TO (%L)',
                    name, (d::timestamp AT TIME ZONE 'UTC'), ((d + 1)::timestamp AT TIME ZONE 'UTC'));
                created := created + 1;
            EXCEPTION WHEN duplicate_table THEN
                -- another node created it between our check and our CREATE
                NULL;
            END;
        END IF;
    END LOOP;
    RETURN created;
END;
$$;

-- Drops the daily partitions that end before the start of the UTC day keep_days ago;
-- returns the names it dropped.
CREATE FUNCTION drop_firewall_log_partitions(keep_days integer)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    cutoff date := (now() AT TIME ZONE 'UTC')::date - keep_days;
    part   record;
BEGIN
    FOR part IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'firewall_log'
          AND c.relname ~ '^firewall_log_[0-9]{8}$'
          AND to_date(substring(c.relname from 14), 'YYYYMMDD') < cutoff
        ORDER BY c.relname
    LOOP
        EXECUTE format('DROP TABLE %I', part.relname);
        RETURN NEXT part.relname;
    END LOOP;
END;
$$;

SELECT ensure_firewall_log_partitions(1, 3);

-- Every firewall seen; counters advance once per written batch, not once per line.
CREATE TABLE device (
    name           text        PRIMARY KEY,
    sender         inet        NOT NULL,
    first_seen     timestamptz NOT NULL,
    last_seen      timestamptz NOT NULL,
    lines_received bigint      NOT NULL DEFAULT 0,
    time_zone      text
);

-- Lines that could not be stored as log rows, with the reason; the raw text is truncated.
CREATE TABLE rejected_line (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at timestamptz NOT NULL,
    sender      inet,
    transport   text        NOT NULL,
    reason      text        NOT NULL,
    raw         text
);
CREATE INDEX rejected_line_received_at ON rejected_line (received_at);
