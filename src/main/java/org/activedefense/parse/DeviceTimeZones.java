package org.activedefense.parse;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The time zone each firewall writes its local "generated time" in, with a default for the rest.
 * The configured table is fixed; zones an admin sets per device in the console lie on top of it
 * and can be replaced at any time (one volatile map, read without locks on the ingest path).
 */
public final class DeviceTimeZones {

    private final ZoneId defaultZone;
    /** Keys are lower-case: syslog host names are DNS-like and compare case-insensitively. */
    private final Map<String, ZoneId> perDevice;
    private volatile Map<String, ZoneId> fromConsole = Map.of();

    public DeviceTimeZones(ZoneId defaultZone, Map<String, ZoneId> perDevice) {
        this.defaultZone = Objects.requireNonNull(defaultZone, "defaultZone");
        Map<String, ZoneId> copy = new HashMap<>();
        if (perDevice != null) {
            for (Map.Entry<String, ZoneId> entry : perDevice.entrySet()) {
                String device = entry.getKey();
                if (device == null || device.isBlank()) {
                    throw new IllegalArgumentException("device time zones: empty device name");
                }
                ZoneId zone = Objects.requireNonNull(entry.getValue(), "time zone of device " + device);
                if (copy.put(device.trim().toLowerCase(Locale.ROOT), zone) != null) {
                    throw new IllegalArgumentException("device time zones: device '" + device + "' given twice");
                }
            }
        }
        this.perDevice = Map.copyOf(copy);
    }

    /**
     * Builds the table from configuration text.
     *
     * @param defaultZone a zone id such as {@code Europe/Berlin} or {@code UTC}; empty or null means the
     *                    JVM's system default zone
     * @param spec        comma-separated {@code device=zone} pairs, e.g. {@code PA-220=Europe/Berlin,fw2=UTC};
     *                    may be empty or null
     * @throws IllegalArgumentException naming the offending entry when a pair or zone is malformed
     */
    public static DeviceTimeZones parse(String defaultZone, String spec) {
        ZoneId fallback = defaultZone == null || defaultZone.isBlank()
                ? ZoneId.systemDefault()
                : zone(defaultZone.trim(), "default time zone");
        Map<String, ZoneId> perDevice = new HashMap<>();
        if (spec != null && !spec.isBlank()) {
            for (String entry : spec.split(",")) {
                String pair = entry.trim();
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                if (equals < 0) {
                    throw new IllegalArgumentException(
                            "device time zones: expected device=zone, got '" + pair + "'");
                }
                String device = pair.substring(0, equals).trim();
                String zoneText = pair.substring(equals + 1).trim();
                if (device.isEmpty()) {
                    throw new IllegalArgumentException("device time zones: no device name in '" + pair + "'");
                }
                if (zoneText.isEmpty()) {
                    throw new IllegalArgumentException("device time zones: no time zone for device '" + device + "'");
                }
                ZoneId zone = zone(zoneText, "time zone of device '" + device + "'");
                if (perDevice.put(device.toLowerCase(Locale.ROOT), zone) != null) {
                    throw new IllegalArgumentException("device time zones: device '" + device + "' given twice");
                }
            }
        }
        return new DeviceTimeZones(fallback, perDevice);
    }

    /**
     * The zone of {@code device}: an exact (case-insensitive) match first, then its short name before
     * the first dot, because the syslog header often carries {@code PA-220.example.com} while the
     * operator configures {@code PA-220}. The short-name fallback is skipped for IPv4 addresses.
     */
    public ZoneId zoneOf(String device) {
        Map<String, ZoneId> set = fromConsole;
        if (device == null || (perDevice.isEmpty() && set.isEmpty())) {
            return defaultZone;
        }
        String key = device.toLowerCase(Locale.ROOT);
        ZoneId zone = set.get(key);
        if (zone != null) {
            return zone;
        }
        zone = perDevice.get(key);
        if (zone != null) {
            return zone;
        }
        int dot = key.indexOf('.');
        if (dot > 0 && !IpLiteral.isDottedQuad(key, 0, key.length())) {
            zone = perDevice.get(key.substring(0, dot));
            if (zone != null) {
                return zone;
            }
        }
        return defaultZone;
    }

    /** Replaces the zones set in the console (device name to zone); they win over the configuration. */
    public void replaceConsoleZones(Map<String, ZoneId> zones) {
        Map<String, ZoneId> copy = new HashMap<>();
        zones.forEach((device, zone) -> copy.put(device.toLowerCase(Locale.ROOT), zone));
        fromConsole = Map.copyOf(copy);
    }

    public ZoneId defaultZone() {
        return defaultZone;
    }

    private static ZoneId zone(String text, String what) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(what + ": unknown time zone '" + text + "'", e);
        }
    }
}
