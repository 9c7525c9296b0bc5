package org.activedefense.admin;

import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;

import org.activedefense.admin.AdminAccounts.Caller;
import org.activedefense.admin.ConsoleSessions.Session;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Lets an admin-API request through only with a valid session cookie (the console) or valid basic
 * credentials (scripts). Changes made with a cookie must echo the session's CSRF token. Failed
 * basic logins count towards the per-address lockout. The caller goes into a variable; the
 * credentials are removed from the message.
 */
public final class AdminGate {

    static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";

    private final AdminAccounts accounts;
    private final ConsoleSessions sessions;
    private final LoginThrottle throttle;
    private final AuditLog audit;

    public AdminGate(AdminAccounts accounts, ConsoleSessions sessions, LoginThrottle throttle, AuditLog audit) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
    }

    /** Any account may read. */
    public void requireViewer(Exchange exchange) throws SQLException {
        authenticated(exchange, true);
    }

    /** Only admins may change things or run detection. */
    public void requireAdmin(Exchange exchange) throws SQLException {
        ApiCall call = authenticated(exchange, true);
        if (!"admin".equals(call.role())) {
            throw new AccessDeniedException(403, "the account '" + call.username() + "' may only read");
        }
    }

    /** Like {@link #requireViewer}, but a browser without a session gets no basic-auth prompt. */
    public void requireSessionOrViewer(Exchange exchange) throws SQLException {
        authenticated(exchange, false);
    }

    /** The client's address, for lockouts and the audit log. */
    public static String source(Message message) {
        Object remote = message.getHeader(REMOTE_ADDRESS);
        if (remote instanceof io.vertx.core.net.SocketAddress vertx) {
            return vertx.hostAddress();
        }
        if (remote instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress();
        }
        return remote == null ? "unknown" : remote.toString();
    }

    /** Refuses with 429 when {@code source} is locked out after too many failed logins. */
    void refuseWhileLockedOut(String source) {
        OptionalLong wait = throttle.lockedFor(source);
        if (wait.isPresent()) {
            throw AccessDeniedException.tooManyFailures("too many failed logins from " + source
                    + "; try again in " + wait.getAsLong() + " s (until then even the right password is refused)",
                    wait.getAsLong());
        }
    }

    void loginFailed(String source, String username) {
        throttle.failed(source);
        audit.record(username, source, "login.failed", username, null, null);
    }

    void loginSucceeded(String source) {
        throttle.succeeded(source);
    }

    private ApiCall authenticated(Exchange exchange, boolean challengeBrowsers) throws SQLException {
        Message message = exchange.getMessage();
        String source = source(message);
        String authorization = message.getHeader("Authorization", String.class);
        String token = cookie(message.getHeader("Cookie", String.class), ConsoleSessions.COOKIE);
        String csrf = message.getHeader("X-CSRF-Token", String.class);
        // Credentials have done their job here; they must not travel further with the message.
        message.removeHeader("Authorization");
        message.removeHeader("Cookie");
        message.removeHeader("X-CSRF-Token");

        ApiCall call;
        if (authorization != null) {
            refuseWhileLockedOut(source);
            Optional<Caller> caller = accounts.authenticate(authorization);
            if (caller.isEmpty()) {
                loginFailed(source, basicUser(authorization));
                throw AccessDeniedException.challenge("wrong user name or password");
            }
            loginSucceeded(source);
            call = new ApiCall(caller.get().username(), caller.get().role(), source, null);
        } else if (token != null) {
            Session session = sessions.find(token).orElseThrow(
                    () -> new AccessDeniedException(401, "the session has ended; log in again"));
            String method = message.getHeader(Exchange.HTTP_METHOD, String.class);
            boolean change = !"GET".equals(method) && !"HEAD".equals(method);
            if (change && !ConsoleSessions.sameToken(session.csrfToken(), csrf)) {
                throw new AccessDeniedException(403, "this change needs the session's X-CSRF-Token header");
            }
            call = new ApiCall(session.caller().username(), session.caller().role(), source, token);
            exchange.setVariable("csrfToken", session.csrfToken());
            exchange.setVariable("sessionExpiresAt", session.expiresAt());
        } else if (challengeBrowsers) {
            throw AccessDeniedException.challenge("authentication required: log in or send basic credentials");
        } else {
            throw new AccessDeniedException(401, "not logged in");
        }
        exchange.setVariable(ApiCall.VARIABLE, call);
        exchange.setVariable("caller", call.username());
        return call;
    }

    /** The value of one cookie in a Cookie header. */
    static String cookie(String header, String name) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String basicUser(String authorization) {
        try {
            String decoded = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).trim()),
                    java.nio.charset.StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            String user = colon < 0 ? decoded : decoded.substring(0, colon);
            return user.length() > 64 ? user.substring(0, 64) : user;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
