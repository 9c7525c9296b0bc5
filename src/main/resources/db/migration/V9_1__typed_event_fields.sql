-- SYSTEM, GLOBALPROTECT and IPTAG lines typed beside TRAFFIC and THREAT: what the EDL health checks
-- (SYSTEM events about external dynamic lists), the GlobalProtect brute-force case (authentication
-- events) and push confirmation (IPTAG register/unregister) read. All null on TRAFFIC/THREAT rows,
-- where they cost one bit each in the row's null bitmap. See docs/storage.md.
ALTER TABLE firewall_log
    ADD COLUMN event_id        text,
    ADD COLUMN object          text,
    ADD COLUMN description     text,
    ADD COLUMN stage           text,
    ADD COLUMN auth_method     text,
    ADD COLUMN status          text,
    ADD COLUMN reason          text,
    ADD COLUMN tag_name        text,
    ADD COLUMN timeout_seconds integer;
