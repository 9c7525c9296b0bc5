-- BRIN ranges filled after the index exists stay unsummarized (and so match every time filter)
-- until something summarizes them. autosummarize would queue one autovacuum work item per filled
-- range, and that queue holds only a few hundred: at ingest rates it drops requests. The service
-- calls this every minute instead; it summarizes all new ranges of every partition in one pass.
CREATE FUNCTION summarize_firewall_log_index()
RETURNS bigint LANGUAGE sql AS $$
    SELECT coalesce(sum(brin_summarize_new_values(i.inhrelid)), 0)::bigint
    FROM pg_inherits i
    WHERE i.inhparent = 'firewall_log_received_at_brin'::regclass
$$;
