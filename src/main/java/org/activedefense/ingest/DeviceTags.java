package org.activedefense.ingest;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the {@code device} tag of per-device metrics: the first {@code max} device names seen get
 * a tag of their own, every later name shares {@value #OTHER}. Device names come from syslog headers
 * (or sender addresses), i.e. from the network, so without a cap a sender could create a time
 * series per line.
 */
public final class DeviceTags {

    public static final String OTHER = "other";
    /** Longest tag value kept; longer names are cut (they are still distinct names for the cap). */
    static final int MAX_TAG_CHARS = 64;

    private final int max;
    private final ConcurrentHashMap<String, String> tags = new ConcurrentHashMap<>();

    public DeviceTags(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("metrics.max-device-tags must be 0 or more, not " + max);
        }
        this.max = max;
    }

    /** The tag value for this device name. */
    public String tagOf(String device) {
        String name = device == null || device.isEmpty() ? "unknown" : device;
        String tag = tags.get(name);
        if (tag != null) {
            return tag;
        }
        // Once the cap is reached, every new (attacker-chosen) name is "other": answer without the
        // lock, or a flood of invented host names would serialise the ingest threads here.
        if (tags.size() >= max) {
            return OTHER;
        }
        synchronized (tags) {
            tag = tags.get(name);
            if (tag != null) {
                return tag;
            }
            if (tags.size() >= max) {
                return OTHER;
            }
            tag = name.length() > MAX_TAG_CHARS ? name.substring(0, MAX_TAG_CHARS) : name;
            tags.put(name, tag);
            return tag;
        }
    }
}
