-- Case 1, port scan: one source to one destination on more than N distinct destination ports
-- within the window (server receive time). One row per (source, destination) pair over the
-- threshold; the address policy (private, own networks, allowlist) is applied afterwards.
-- Parameters: 1 window in minutes, 2 the port threshold N.
SELECT host(src_ip)                          AS address,
       host(dst_ip)                          AS target,
       count(DISTINCT dst_port)              AS distinct_ports,
       count(*)                              AS lines,
       (array_agg(DISTINCT dst_port))[1:20]  AS sample_ports,
       (array_agg(DISTINCT device))[1:10]    AS devices,
       min(received_at)                      AS first_seen,
       max(received_at)                      AS last_seen
FROM firewall_log
WHERE received_at >= now() - make_interval(mins => ?)
  AND log_type IN ('TRAFFIC', 'THREAT')
  AND src_ip IS NOT NULL AND dst_ip IS NOT NULL AND dst_port IS NOT NULL
GROUP BY src_ip, dst_ip
HAVING count(DISTINCT dst_port) > ?
