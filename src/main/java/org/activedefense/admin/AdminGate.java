package org.activedefense.admin;

import org.activedefense.admin.AdminAccounts.Caller;
import org.apache.camel.Message;

/** Lets an admin-API request through only with valid credentials; the caller goes into a variable. */
public final class AdminGate {

    private final AdminAccounts accounts;

    public AdminGate(AdminAccounts accounts) {
        this.accounts = accounts;
    }

    /** Any account may read. The body is left as it is. */
    public void requireViewer(Message message) {
        authenticated(message);
    }

    /** Only admins may change things or run detection. The body is left as it is. */
    public void requireAdmin(Message message) {
        Caller caller = authenticated(message);
        if (!caller.isAdmin()) {
            throw new AccessDeniedException(403, "this account may only read");
        }
    }

    private Caller authenticated(Message message) {
        Caller caller = accounts.authenticate(message.getHeader("Authorization", String.class))
                .orElseThrow(() -> new AccessDeniedException(401, "authentication required"));
        // Credentials have done their job; they must not travel further with the message.
        message.removeHeader("Authorization");
        message.getExchange().setVariable("caller", caller.username());
        return caller;
    }
}
