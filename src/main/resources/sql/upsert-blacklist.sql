-- Lists a detected address, or refreshes it when already listed (never a duplicate).
-- Parameters: 1 address, 2 case, 3 first seen, 4 last seen, 5 evidence (json), 6 run id.
-- Returns inserted = true for a new entry.
INSERT INTO blacklist (address, case_name, source, first_seen, last_seen, times_detected, evidence, added_by_run)
VALUES (CAST(? AS inet), ?, 'detected', ?, ?, 1, CAST(? AS jsonb), ?)
ON CONFLICT (address) DO UPDATE SET
    last_seen      = GREATEST(blacklist.last_seen, EXCLUDED.last_seen),
    times_detected = blacklist.times_detected + 1,
    evidence       = EXCLUDED.evidence,
    updated_at     = now()
RETURNING (xmax = 0) AS inserted
