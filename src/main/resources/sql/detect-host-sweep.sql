-- Case 2, host sweep: one source to more than N distinct destinations on one destination port
-- within the window (server receive time). One row per (source, port) over the threshold.
-- Two phases, as in detect-port-scan.sql: find the (source, port) pairs over the threshold from
-- distinct triples, then gather evidence for those pairs only.
-- Parameters: 1 window in minutes, 2 never-blockable source networks (inet[]), 3 the host threshold N,
-- 4 the window again.
WITH over_threshold AS (
    SELECT src_ip, dst_port
    FROM (SELECT DISTINCT src_ip, dst_port, dst_ip
          FROM firewall_log
          WHERE received_at >= now() - make_interval(mins => ?)
            AND log_type IN ('TRAFFIC', 'THREAT')
            AND src_ip IS NOT NULL AND dst_ip IS NOT NULL AND dst_port IS NOT NULL
            -- sources that can never be blocked (private, loopback, link-local, CGNAT, ULA), which are
            -- most of a firewall's lines, are left out before the expensive part
            AND NOT src_ip << ANY (CAST(? AS inet[]))) AS triples
    GROUP BY src_ip, dst_port
    HAVING count(*) > ?
)
SELECT host(f.src_ip)                               AS address,
       f.dst_port                                   AS port,
       count(DISTINCT f.dst_ip)                     AS distinct_hosts,
       count(*)                                     AS lines,
       (array_agg(DISTINCT host(f.dst_ip)))[1:20]   AS sample_hosts,
       (array_agg(DISTINCT f.device))[1:10]         AS devices,
       min(f.received_at)                           AS first_seen,
       max(f.received_at)                           AS last_seen
FROM firewall_log f
JOIN over_threshold o ON o.src_ip = f.src_ip AND o.dst_port = f.dst_port
WHERE f.received_at >= now() - make_interval(mins => ?)
  -- the few candidate sources, as one array, so their rows come from the src_ip index rather than
  -- from a second scan of the whole window
  AND f.src_ip = ANY (ARRAY(SELECT DISTINCT src_ip FROM over_threshold))
  AND f.log_type IN ('TRAFFIC', 'THREAT')
  AND f.dst_ip IS NOT NULL
GROUP BY f.src_ip, f.dst_port
