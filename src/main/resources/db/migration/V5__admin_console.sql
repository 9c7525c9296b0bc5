-- Console sessions. Only a SHA-256 of the cookie value is stored, so a leaked table opens nothing.
-- Kept in the database, not the heap, so a session works on every node and survives a restart.
CREATE TABLE console_session (
    token_hash  text        PRIMARY KEY,
    username    text        NOT NULL REFERENCES account (username) ON DELETE CASCADE,
    csrf_token  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_used   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    source      text
);
CREATE INDEX console_session_expires_at ON console_session (expires_at);

-- Settings changed through the API. A row overrides application.properties until it is deleted.
CREATE TABLE setting (
    key        text        PRIMARY KEY,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text        NOT NULL
);

-- Every change made through the API: who, from where, when, what, and the state before and after.
CREATE TABLE audit (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    username       text,
    source_address text,
    action         text        NOT NULL,
    target         text,
    before         jsonb,
    after          jsonb
);
CREATE INDEX audit_at ON audit (at DESC);

-- Once a minute, each device's running line count, so the console can show rates and a 24-hour
-- chart without scanning the log table. Every node samples; the first sample of a minute wins.
CREATE TABLE device_counter_sample (
    at             timestamptz NOT NULL,
    device         text        NOT NULL,
    lines_received bigint      NOT NULL,
    PRIMARY KEY (at, device)
);
