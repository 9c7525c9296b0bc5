-- Summarizes the BRIN ranges of firewall_log filled since the last call (see V2 migration).
SELECT summarize_firewall_log_index() AS ranges
