package org.activedefense.parse;

import java.time.Instant;

/**
 * One PAN-OS log line as typed columns of the {@code firewall_log} table.
 *
 * <p>Every text field comes from the network and is attacker-controlled; the parser guarantees only
 * that {@link #srcIp}/{@link #dstIp} are canonical IP address literals, ports are 0..65535, and no
 * field holds a NUL character. Fields the line does not carry are {@code null}.
 */
public final class LogRecord {

    /** How the body was recognised. */
    public enum Format { CSV, KV }

    public Instant receivedAt;
    /** Syslog host name of the innermost header, or the sender address when the header has none. */
    public String device;
    /** Address of the peer that sent the datagram or opened the connection. */
    public String sender;
    /** Listener the line arrived on (UDP, TCP, TLS), for per-listener metrics; not stored. */
    public String transport;
    public Format format;
    public String logType;
    public String subtype;
    public String srcIp;
    public String dstIp;
    public Integer srcPort;
    public Integer dstPort;
    public String srcLocation;
    public String dstLocation;
    public String srcUser;
    public String srcZone;
    public String dstZone;
    public String ruleName;
    public String ruleUuid;
    public String action;
    public String protocol;
    public String application;
    public String threatName;
    public Long threatId;
    public String severity;
    /**
     * The event's name: SYSTEM {@code eventid} (e.g. {@code globalprotectportal-auth-fail}),
     * GLOBALPROTECT event (e.g. {@code gateway-auth}), IPTAG event ({@code register}, {@code unregister}).
     */
    public String eventId;
    /**
     * What the event is about: SYSTEM {@code object}, GLOBALPROTECT portal or gateway name, IPTAG
     * data source name (who registered the tag, e.g. {@code XMLAPI}).
     */
    public String object;
    /** SYSTEM description ({@code opaque}, up to 512 bytes), GLOBALPROTECT description. */
    public String description;
    /** GLOBALPROTECT stage ({@code login}, {@code before-login}, {@code configuration}, {@code tunnel}, ...). */
    public String stage;
    /** GLOBALPROTECT authentication method ({@code ldap}, {@code saml}, {@code Cookie}, ...; SYSTEM form: "Auth type"). */
    public String authMethod;
    /** GLOBALPROTECT status: {@code success} or {@code failure} (SYSTEM form: from the event id's -succ / -fail). */
    public String status;
    /** GLOBALPROTECT reason or error text (SYSTEM form: its "Reason:"). */
    public String reason;
    /** IPTAG tag name. */
    public String tagName;
    /** IPTAG timeout of the address-to-tag mapping, in seconds (0 = never expires). */
    public Integer timeoutSeconds;
    /** The firewall's own time stamp (generated time), resolved in the device's time zone. */
    public Instant generatedAt;
    /** The whole line as received (after framing), or null when raw-line keeping is off. */
    public String raw;
}
