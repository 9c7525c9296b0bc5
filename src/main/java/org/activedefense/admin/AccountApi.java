package org.activedefense.admin;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.activedefense.admin.AdminAccounts.Caller;
import org.activedefense.admin.ConsoleSessions.Session;
import org.apache.camel.Exchange;

/** Log in and out, who am I, change one's password, and the accounts an admin manages. */
public final class AccountApi {

    private final AdminAccounts accounts;
    private final ConsoleSessions sessions;
    private final AdminGate gate;
    private final AuditLog audit;

    public AccountApi(AdminAccounts accounts, ConsoleSessions sessions, AdminGate gate, AuditLog audit) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.gate = gate;
        this.audit = audit;
    }

    /** {@code POST /api/session}: checks the password and opens a session (the cookie). */
    public Map<String, Object> login(Exchange exchange) throws SQLException {
        String source = AdminGate.source(exchange.getMessage());
        gate.refuseWhileLockedOut(source);
        RequestBody body = RequestBody.of(exchange);
        String username = body.optionalText("username");
        String password = body.optionalText("password");
        Optional<Caller> caller = accounts.verify(username, password);
        if (caller.isEmpty()) {
            gate.loginFailed(source, username == null || username.length() > 64 ? null : username);
            throw new AccessDeniedException(401, "wrong user name or password");
        }
        gate.loginSucceeded(source);
        Session session = sessions.open(caller.get(), source);
        audit.record(caller.get().username(), source, "login", caller.get().username(), null, null);
        exchange.setVariable("setCookie", sessionCookie(exchange, session.token(), sessions.lifetime().toSeconds()));
        return describe(caller.get().username(), caller.get().role(), session.csrfToken(), session.expiresAt());
    }

    /** {@code GET /api/session}: who is logged in, with the CSRF token the console needs. */
    public Map<String, Object> current(Exchange exchange) {
        ApiCall call = ApiCall.of(exchange);
        return describe(call.username(), call.role(), exchange.getVariable("csrfToken", String.class),
                exchange.getVariable("sessionExpiresAt"));
    }

    /** {@code DELETE /api/session}: logs out. */
    public Answer logout(Exchange exchange) throws SQLException {
        ApiCall call = ApiCall.of(exchange);
        if (call.sessionToken() != null) {
            sessions.close(call.sessionToken());
            audit.record(call.username(), call.source(), "logout", call.username(), null, null);
        }
        exchange.setVariable("setCookie", sessionCookie(exchange, "", 0));
        return Answer.noContent();
    }

    /** {@code PUT /api/account/password}: the caller's own password; other sessions end. */
    public Answer changePassword(Exchange exchange) throws SQLException {
        ApiCall call = ApiCall.of(exchange);
        RequestBody body = RequestBody.of(exchange);
        String next = body.optionalText("newPassword");
        if (!accounts.changePassword(call.username(), body.optionalText("currentPassword"), next)) {
            gate.loginFailed(call.source(), call.username());
            throw new AccessDeniedException(403, "the current password is wrong");
        }
        sessions.closeOthers(call.username(), call.sessionToken());
        audit.record(call.username(), call.source(), "account.password", call.username(), null, null);
        return Answer.noContent();
    }

    public List<Map<String, Object>> list() throws SQLException {
        return accounts.list();
    }

    public Answer create(Exchange exchange) throws SQLException {
        ApiCall call = ApiCall.of(exchange);
        RequestBody body = RequestBody.of(exchange);
        String username = body.optionalText("username");
        String role = body.optionalText("role");
        if (!accounts.create(username, body.optionalText("password"), role == null ? "viewer" : role)) {
            throw ApiException.conflict("the account '" + username + "' exists already");
        }
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("username", username);
        after.put("role", role == null ? "viewer" : role);
        audit.record(call.username(), call.source(), "account.create", username, null, after);
        return Answer.created(after);
    }

    public Answer delete(Exchange exchange) throws SQLException {
        ApiCall call = ApiCall.of(exchange);
        String username = exchange.getMessage().getHeader("username", String.class);
        if (call.username().equals(username)) {
            throw ApiException.conflict("an admin cannot delete their own account");
        }
        Map<String, Object> before = accounts.list().stream()
                .filter(a -> a.get("username").equals(username)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no account '" + username + "'"));
        if (!accounts.delete(username)) {
            throw ApiException.conflict("the last admin account cannot be deleted");
        }
        audit.record(call.username(), call.source(), "account.delete", username, before, null);
        return Answer.noContent();
    }

    private static Map<String, Object> describe(String username, String role, String csrf, Object expiresAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", username);
        m.put("role", role);
        m.put("csrfToken", csrf);
        m.put("expiresAt", expiresAt);
        return m;
    }

    private static String sessionCookie(Exchange exchange, String value, long maxAgeSeconds) {
        String url = exchange.getMessage().getHeader(Exchange.HTTP_URL, String.class);
        boolean https = url != null && url.regionMatches(true, 0, "https:", 0, 6);
        return ConsoleSessions.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds
                + (https ? "; Secure" : "");
    }
}
