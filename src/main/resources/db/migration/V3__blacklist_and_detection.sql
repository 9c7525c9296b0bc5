-- One row per detection run (scheduled or on demand), with what each case found.
CREATE TABLE detection_run (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trigger         text        NOT NULL,            -- schedule, api
    node            text,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    status          text        NOT NULL,            -- running, ok, failed, skipped
    matches         jsonb       NOT NULL DEFAULT '{}', -- per case: candidates found
    new_count       integer     NOT NULL DEFAULT 0,
    refreshed_count integer     NOT NULL DEFAULT 0,
    stopped_count   integer     NOT NULL DEFAULT 0,
    simulated_count integer     NOT NULL DEFAULT 0,
    error           text
);
CREATE INDEX detection_run_started_at ON detection_run (started_at);

-- What a run decided for each candidate address.
CREATE TABLE detection_finding (
    run_id    bigint NOT NULL REFERENCES detection_run (id) ON DELETE CASCADE,
    address   inet   NOT NULL,
    case_name text   NOT NULL,                      -- port-scan, host-sweep, vulnerability
    outcome   text   NOT NULL,                      -- new, refreshed, stopped, simulated
    reason    text,                                 -- why a candidate was stopped by policy
    evidence  jsonb  NOT NULL
);
CREATE INDEX detection_finding_run ON detection_finding (run_id);
CREATE INDEX detection_finding_address ON detection_finding (address);

-- The block list the firewall polls. One row per address; a detected address is refreshed, never duplicated.
CREATE TABLE blacklist (
    address        inet        PRIMARY KEY,
    case_name      text        NOT NULL,            -- the case that first listed it, or manual
    source         text        NOT NULL,            -- detected, manual
    first_seen     timestamptz NOT NULL,
    last_seen      timestamptz NOT NULL,
    times_detected integer     NOT NULL DEFAULT 1,
    evidence       jsonb       NOT NULL DEFAULT '{}',
    reason         text,                            -- for manual entries
    added_by_run   bigint      REFERENCES detection_run (id) ON DELETE SET NULL,
    added_by       text,                            -- for manual entries
    listed_at      timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blacklist_last_seen ON blacklist (last_seen DESC);

-- Every address that left the list, and why.
CREATE TABLE blacklist_history (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    address     inet        NOT NULL,
    case_name   text        NOT NULL,
    source      text        NOT NULL,
    first_seen  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    evidence    jsonb       NOT NULL,
    removed_at  timestamptz NOT NULL DEFAULT now(),
    removal     text        NOT NULL                -- expired, removed by admin, allowlisted
);
CREATE INDEX blacklist_history_address ON blacklist_history (address);
CREATE INDEX blacklist_history_removed_at ON blacklist_history (removed_at);

-- Networks that are never blocked, besides policy.allowlist in the properties.
CREATE TABLE allowlist (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network    cidr        NOT NULL UNIQUE,
    comment    text,
    expires_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text
);

-- Device silence alerts: when the "gone quiet" mail went out (null while the device is heard).
ALTER TABLE device ADD COLUMN silence_alerted_at timestamptz;
