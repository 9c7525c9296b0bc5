package org.activedefense.parse;

/**
 * Reads the GlobalProtect events PAN-OS before 9.1 logs as SYSTEM lines of subtype
 * {@code globalprotect}: the event id says what happened and how it ended
 * ({@code globalprotectportal-auth-fail}, {@code globalprotectgateway-auth-succ}, ...), and the
 * description carries the rest as text:
 * {@code GlobalProtect portal user authentication failed. Login from: 60.28.233.48, User name: Admin,
 * Reason: Authentication failed: Invalid username or password , Auth type: profile.}
 *
 * <p>The user name (and the client's OS version) are whatever the client sent, so they may hold
 * {@code ", Login from: 8.8.8.8"}: the address is taken only from a {@code Login from:} that stands
 * before {@code User name:}, where the firewall writes it, and only when it parses as an address.
 */
final class GlobalProtectSystemEvent {

    private static final String LOGIN_FROM = "Login from: ";
    private static final String USER_NAME = "User name: ";
    private static final String REASON = ", Reason: ";
    private static final String AUTH_TYPE = ", Auth type: ";
    private static final String CLIENT_OS = ", Client OS version: ";
    /** What the firewall writes after the user name in an authentication event. */
    private static final String[] AFTER_USER_AUTH = {CLIENT_OS, REASON, AUTH_TYPE};
    /** What the firewall writes after the user name in any other event. */
    private static final String[] AFTER_USER = {CLIENT_OS, REASON, AUTH_TYPE, ", Private IP: ", ", Config name: ",
        ", Time: ", ", Client version: "};

    private GlobalProtectSystemEvent() {
    }

    /** Fills source address, user, status, reason and authentication method from a SYSTEM globalprotect line. */
    static void read(LogRecord record) {
        String event = record.eventId;
        if (event != null) {
            if (event.endsWith("-fail")) {
                record.status = "failure";
            } else if (event.endsWith("-succ")) {
                record.status = "success";
            }
        }
        String text = record.description;
        if (text == null) {
            return;
        }
        int user = text.indexOf(USER_NAME);
        int login = text.indexOf(LOGIN_FROM);
        if (login >= 0 && (user < 0 || login < user)) {
            int start = login + LOGIN_FROM.length();
            record.srcIp = IpLiteral.canonical(text.substring(start, end(text, start, ",")));
        }
        if (user >= 0) {
            int start = user + USER_NAME.length();
            // the user's own text may hold any of the markers: the value ends at the last one the firewall wrote
            int end = text.length();
            for (String marker : event != null && event.contains("-auth-") ? AFTER_USER_AUTH : AFTER_USER) {
                int at = text.lastIndexOf(marker);
                if (at >= start && at < end) {
                    end = at;
                }
            }
            record.srcUser = FieldDecoder.text(trimEnd(text.substring(start, end)));
        }
        int reason = text.lastIndexOf(REASON);
        if (reason >= 0 && (user < 0 || reason > user)) {
            int start = reason + REASON.length();
            int auth = text.indexOf(AUTH_TYPE, start);
            record.reason = FieldDecoder.text(trimEnd(text.substring(start, auth >= 0 ? auth : text.length())));
        }
        int auth = text.lastIndexOf(AUTH_TYPE);
        if (auth >= 0 && (user < 0 || auth > user)) {
            int start = auth + AUTH_TYPE.length();
            record.authMethod = FieldDecoder.text(trimEnd(text.substring(start, end(text, start, ","))));
        }
    }

    private static int end(String text, int from, String separator) {
        int at = text.indexOf(separator, from);
        return at < 0 ? text.length() : at;
    }

    /** Without trailing blanks and the sentence's full stop. */
    private static String trimEnd(String value) {
        int end = value.length();
        while (end > 0 && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '.')) {
            end--;
        }
        return value.substring(0, end);
    }
}
