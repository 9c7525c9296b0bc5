-- Creates yesterday's to the coming days' firewall_log partitions (UTC days) that do not exist yet.
SELECT ensure_firewall_log_partitions(1, CAST(:#${properties:ingest.partitions-ahead-days} AS integer)) AS created
