-- Drops the daily firewall_log partitions older than the retention; returns their names.
SELECT drop_firewall_log_partitions(CAST(:#${variable.retentionDays} AS integer)) AS dropped
