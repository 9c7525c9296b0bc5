-- Moves last_seen forward for every listed address that sent any log line in the window
-- (e.g. it keeps hitting the "Active Defense Deny" rule), so active attackers stay listed.
-- Parameter: 1 window in minutes. Returns the refreshed addresses.
UPDATE blacklist b
SET last_seen = a.last_seen, updated_at = now()
FROM (SELECT f.src_ip, max(f.received_at) AS last_seen
      FROM firewall_log f
      WHERE f.received_at >= now() - make_interval(mins => ?)
        AND f.src_ip IN (SELECT address FROM blacklist)
      GROUP BY f.src_ip) a
WHERE b.address = a.src_ip
  AND a.last_seen > b.last_seen
RETURNING host(b.address) AS address
