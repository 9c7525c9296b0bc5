package org.activedefense.settings;

/** A setting value that cannot be used, naming the setting. */
public final class SettingException extends IllegalArgumentException {

    private final String key;

    public SettingException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
