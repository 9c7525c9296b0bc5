-- Removes entries whose last activity is older than the block window and keeps each in the
-- history with the reason. Returns the removed addresses.
WITH expired AS (
    DELETE FROM blacklist
    WHERE last_seen < now() - make_interval(days => CAST(:#${variable.blockWindowDays} AS integer))
    RETURNING *
)
INSERT INTO blacklist_history (address, case_name, source, first_seen, last_seen, evidence, removal)
SELECT address, case_name, source, first_seen, last_seen, evidence,
       'expired: no activity for ' || :#${variable.blockWindowDays} || ' days'
FROM expired
RETURNING host(address) AS address
