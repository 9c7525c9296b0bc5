-- Case 2, host sweep: one source to more than N distinct destinations on one destination port
-- within the window (server receive time). One row per (source, port) over the threshold.
-- Parameters: 1 window in minutes, 2 the host threshold N.
SELECT host(src_ip)                               AS address,
       dst_port                                   AS port,
       count(DISTINCT dst_ip)                     AS distinct_hosts,
       count(*)                                   AS lines,
       (array_agg(DISTINCT host(dst_ip)))[1:20]   AS sample_hosts,
       (array_agg(DISTINCT device))[1:10]         AS devices,
       min(received_at)                           AS first_seen,
       max(received_at)                           AS last_seen
FROM firewall_log
WHERE received_at >= now() - make_interval(mins => ?)
  AND log_type IN ('TRAFFIC', 'THREAT')
  AND src_ip IS NOT NULL AND dst_ip IS NOT NULL AND dst_port IS NOT NULL
GROUP BY src_ip, dst_port
HAVING count(DISTINCT dst_ip) > ?
