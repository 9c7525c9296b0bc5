-- Console and API accounts. Passwords are Argon2id hashes (never stored or logged in clear).
CREATE TABLE account (
    username      text        PRIMARY KEY,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('admin', 'viewer')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now()
);

-- Only single addresses are ever listed; a network here would render as its first address.
ALTER TABLE blacklist ADD CONSTRAINT blacklist_single_address
    CHECK (masklen(address) = CASE family(address) WHEN 4 THEN 32 ELSE 128 END);
