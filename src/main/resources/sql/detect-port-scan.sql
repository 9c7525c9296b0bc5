-- Case 1, port scan: one source to one destination on more than N distinct destination ports
-- within the window (server receive time). One row per (source, destination) pair over the
-- threshold; the address policy (private, own networks, allowlist) is applied afterwards.
-- Two phases: the pairs over the threshold are found by hashing distinct (source, destination,
-- port) triples, and evidence is gathered only for those few pairs — aggregating evidence for
-- every pair in a busy window (millions) before HAVING discards them was most of the cost.
-- Parameters: 1 window in minutes, 2 never-blockable source networks (inet[]), 3 the port threshold N,
-- 4 the window again.
WITH over_threshold AS (
    SELECT src_ip, dst_ip
    FROM (SELECT DISTINCT src_ip, dst_ip, dst_port
          FROM firewall_log
          WHERE received_at >= now() - make_interval(mins => ?)
            AND log_type IN ('TRAFFIC', 'THREAT')
            AND src_ip IS NOT NULL AND dst_ip IS NOT NULL AND dst_port IS NOT NULL
            -- sources that can never be blocked (private, loopback, link-local, CGNAT, ULA), which are
            -- most of a firewall's lines, are left out before the expensive part
            AND NOT src_ip << ANY (CAST(? AS inet[]))) AS triples
    GROUP BY src_ip, dst_ip
    HAVING count(*) > ?
)
SELECT host(f.src_ip)                          AS address,
       host(f.dst_ip)                          AS target,
       count(DISTINCT f.dst_port)              AS distinct_ports,
       count(*)                                AS lines,
       (array_agg(DISTINCT f.dst_port))[1:20]  AS sample_ports,
       (array_agg(DISTINCT f.device))[1:10]    AS devices,
       min(f.received_at)                      AS first_seen,
       max(f.received_at)                      AS last_seen
FROM firewall_log f
JOIN over_threshold o ON o.src_ip = f.src_ip AND o.dst_ip = f.dst_ip
WHERE f.received_at >= now() - make_interval(mins => ?)
  -- the few candidate sources, as one array, so their rows come from the src_ip index rather than
  -- from a second scan of the whole window
  AND f.src_ip = ANY (ARRAY(SELECT DISTINCT src_ip FROM over_threshold))
  AND f.log_type IN ('TRAFFIC', 'THREAT')
  AND f.dst_port IS NOT NULL
GROUP BY f.src_ip, f.dst_ip
