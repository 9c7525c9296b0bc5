package org.activedefense.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.quartz.CronExpression;

/**
 * One setting the console may change: its key (the property that gives its default), what it is,
 * and the rule a value must pass. A value that fails is refused with a message naming the key.
 */
public record SettingDefinition(String key, String group, String kind, String description, boolean secret,
                                BiFunction<String, String, String> rule) {

    static final List<SettingDefinition> ALL = List.of(
            integer("detect.port-scan.ports", "detection", 1, 65535,
                    "Case 1, port scan: more than this many distinct destination ports from one source to one host"),
            integer("detect.port-scan.window-minutes", "detection", 0, 1440,
                    "Case 1: the window in minutes; 0 turns port-scan detection off"),
            integer("detect.host-sweep.hosts", "detection", 1, 1_000_000,
                    "Case 2, host sweep: more than this many of our hosts on one port from one source"),
            integer("detect.host-sweep.window-minutes", "detection", 0, 1440,
                    "Case 2: the window in minutes; 0 turns host-sweep detection off"),
            integer("detect.vulnerability.level", "detection", 0, 2,
                    "Case 3, exploits: 0 off, 1 critical threats, 2 high or critical"),
            integer("detect.vulnerability.window-minutes", "detection", 1, 1440,
                    "Case 3: the window in minutes"),
            integer("detect.refresh-window-minutes", "detection", 1, 1440,
                    "Listed addresses seen in this window get their last-seen moved on"),
            new SettingDefinition("detect.vulnerability.subtypes", "detection", "text",
                    "Case 3: THREAT subtypes counted, comma-separated (e.g. vulnerability)", false,
                    SettingDefinition::words),
            new SettingDefinition("detect.simulate-cases", "detection", "case-list",
                    "Cases that only record what they would list (port-scan, host-sweep, vulnerability)", false,
                    SettingDefinition::caseList),
            new SettingDefinition("detect.cron", "detection", "cron",
                    "When detection runs (Quartz cron: seconds minutes hours day-of-month month day-of-week)", false,
                    SettingDefinition::cron),
            integer("blacklist.block-window-days", "retention", 1, 3650,
                    "An address leaves the blacklist after this many days without activity"),
            integer("housekeeping.retention-days", "retention", 1, 3650,
                    "Syslog records older than this many days are dropped"),
            integer("edl.max-entries", "edl", 1, 1_000_000,
                    "At most this many addresses on the EDL (the most recently active); mind your firewall model's limit"),
            new SettingDefinition("edl.aggregate-cidrs", "edl", "boolean",
                    "Publish adjacent addresses as one CIDR block", false, SettingDefinition::bool),
            new SettingDefinition("mail.smtp.host", "mail", "host",
                    "SMTP server; empty keeps mails in the outbox folder", false, SettingDefinition::host),
            integer("mail.smtp.port", "mail", 1, 65535, "SMTP port"),
            new SettingDefinition("mail.smtp.security", "mail", "choice:none|starttls|ssl",
                    "none, starttls (required) or ssl (implicit TLS)", false, SettingDefinition::security),
            new SettingDefinition("mail.smtp.username", "mail", "text",
                    "SMTP user name; empty sends without authentication", false, SettingDefinition::line),
            new SettingDefinition("mail.smtp.password", "mail", "secret",
                    "SMTP password (never shown)", true, SettingDefinition::line),
            new SettingDefinition("mail.from", "mail", "address",
                    "Sender address of the mails", false, SettingDefinition::address),
            new SettingDefinition("mail.to", "mail", "address-list",
                    "Recipients, comma-separated", false, SettingDefinition::addressList));

    /** The normalised value, or a {@link SettingException} naming this key. */
    public String validate(String value) {
        if (value == null) {
            throw new SettingException(key, key + " needs a value");
        }
        if (value.length() > 2000) {
            throw new SettingException(key, key + " is longer than 2000 characters");
        }
        return rule.apply(key, value);
    }

    public boolean isValid(String value) {
        try {
            validate(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static SettingDefinition integer(String key, String group, int min, int max, String description) {
        return new SettingDefinition(key, group, "integer:" + min + ".." + max, description, false, (k, v) -> {
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= min && n <= max) {
                    return String.valueOf(n);
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new SettingException(k, k + " must be a whole number from " + min + " to " + max + ", not '"
                    + SettingsStore.shorten(v) + "'");
        });
    }

    private static String bool(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return v;
        }
        throw new SettingException(key, key + " must be true or false");
    }

    private static String caseList(String key, String value) {
        List<String> cases = new ArrayList<>();
        for (String item : value.split(",")) {
            String c = item.trim();
            if (c.isEmpty()) {
                continue;
            }
            if (!List.of("port-scan", "host-sweep", "vulnerability").contains(c)) {
                throw new SettingException(key, key + ": unknown case '" + SettingsStore.shorten(c)
                        + "' (port-scan, host-sweep, vulnerability)");
            }
            if (!cases.contains(c)) {
                cases.add(c);
            }
        }
        return String.join(",", cases);
    }

    private static String words(String key, String value) {
        List<String> words = new ArrayList<>();
        for (String item : value.split(",")) {
            String w = item.trim().toLowerCase(Locale.ROOT);
            if (w.isEmpty()) {
                continue;
            }
            if (!w.matches("[a-z][a-z0-9-]{0,39}")) {
                throw new SettingException(key, key + ": '" + SettingsStore.shorten(w) + "' is not a PAN-OS subtype name");
            }
            words.add(w);
        }
        if (words.isEmpty()) {
            throw new SettingException(key, key + " needs at least one subtype");
        }
        return String.join(",", words);
    }

    private static String cron(String key, String value) {
        String v = value.trim();
        if (!CronExpression.isValidExpression(v)) {
            throw new SettingException(key, key + ": '" + SettingsStore.shorten(v)
                    + "' is not a Quartz cron expression (e.g. 0 0/5 * * * ?)");
        }
        return v;
    }

    private static String host(String key, String value) {
        String v = value.trim();
        if (!v.isEmpty() && !v.matches("[A-Za-z0-9.:\\[\\]-]{1,253}")) {
            throw new SettingException(key, key + " must be a host name or IP address");
        }
        return v;
    }

    private static String security(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!List.of("none", "starttls", "ssl").contains(v)) {
            throw new SettingException(key, key + " must be none, starttls or ssl");
        }
        return v;
    }

    /** One line of text: a line break in a user name or password could end up in an SMTP command. */
    private static String line(String key, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new SettingException(key, key + " must not contain line breaks");
        }
        if (value.length() > 256) {
            throw new SettingException(key, key + " is longer than 256 characters");
        }
        return value;
    }

    private static String address(String key, String value) {
        return mailbox(key, value.trim());
    }

    /** Checks a comma-separated recipient list as {@code mail.to} is checked; answers it normalised. */
    public static String checkRecipients(String value) {
        return addressList("mail.to", value);
    }

    private static String addressList(String key, String value) {
        List<String> addresses = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                addresses.add(mailbox(key, item.trim()));
            }
        }
        if (addresses.isEmpty()) {
            throw new SettingException(key, key + " needs at least one address");
        }
        return String.join(",", addresses);
    }

    /** One plain address (no display name, no line breaks: these go into mail headers). */
    private static String mailbox(String key, String text) {
        if (text.isEmpty() || text.length() > 254 || text.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)
                || text.contains("<") || text.contains(" ") || text.contains(",")) {
            throw new SettingException(key, key + ": '" + SettingsStore.shorten(text) + "' is not a plain e-mail address");
        }
        try {
            InternetAddress parsed = new InternetAddress(text, true);
            parsed.validate();
            return parsed.getAddress();
        } catch (AddressException e) {
            throw new SettingException(key, key + ": '" + SettingsStore.shorten(text) + "' is not a valid e-mail address");
        }
    }
}
