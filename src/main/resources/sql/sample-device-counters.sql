-- Records every device's line count for this minute (once across nodes) and forgets samples older
-- than 8 days; returns how many samples were written.
WITH old AS (
    DELETE FROM device_counter_sample WHERE at < now() - interval '8 days'
), sampled AS (
    INSERT INTO device_counter_sample (at, device, lines_received)
    SELECT date_trunc('minute', now()), name, lines_received FROM device
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT count(*) AS sampled FROM sampled
