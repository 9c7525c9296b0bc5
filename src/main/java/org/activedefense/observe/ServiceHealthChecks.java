package org.activedefense.observe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.spi.RouteController;
import org.apache.camel.spi.SupervisingRouteController;

/**
 * Our readiness checks beside Camel's own (context, routes, consumers): the database answers, every
 * syslog listener is bound, all routes have been started, and detection ran recently. Each says in
 * its message what is wrong, because that is what an operator reads on /observe/health.
 */
public final class ServiceHealthChecks {

    static final String GROUP = "activedefense";
    /** The detection route, switched off on purpose by the engine switch (EngineControl). */
    static final String DETECTION_ROUTE = "detect-attackers";

    private ServiceHealthChecks() {
    }

    public static void register(CamelContext context, DataSource dataSource, int detectionMaxAgeMinutes) {
        // Bound as beans: the health-check registry camel-main sets up picks them up when it starts.
        Instant bootedAt = Instant.now();
        bind(context, readiness("database", b -> database(b, dataSource)));
        // The supervisor forgets a route's exception while it retries; remember the last one to show it.
        Map<String, Throwable> lastFailure = new java.util.concurrent.ConcurrentHashMap<>();
        bind(context, readiness("syslog-listeners", b -> listeners(b, context, lastFailure)));
        bind(context, readiness("routes-started", b -> routesStarted(b, context)));
        if (detectionMaxAgeMinutes > 0) {
            bind(context, readiness("detection-recent",
                    b -> detectionRecent(b, context, dataSource, Duration.ofMinutes(detectionMaxAgeMinutes), bootedAt)));
        }
    }

    private static void bind(CamelContext context, AbstractHealthCheck check) {
        context.getRegistry().bind("health-check-" + check.getId(), check);
    }

    private static void database(HealthCheckResultBuilder b, DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(2)) {
                b.up().message("PostgreSQL answers");
            } else {
                b.down().message("PostgreSQL did not answer within 2 s");
            }
        } catch (SQLException e) {
            b.down().message("PostgreSQL unreachable: " + e.getMessage()).error(e);
        }
    }

    /** Every route consuming from a netty endpoint is a syslog listener. */
    private static void listeners(HealthCheckResultBuilder b, CamelContext context, Map<String, Throwable> lastFailure) {
        List<String> down = new ArrayList<>();
        List<String> up = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            if (!uri.startsWith("netty:")) {
                continue;
            }
            String where = route.getRouteId() + " (" + listenAddress(route) + ")";
            ServiceStatus status = context.getRouteController().getRouteStatus(route.getRouteId());
            Throwable now = restartException(context, route.getRouteId());
            if (now != null) {
                lastFailure.put(route.getRouteId(), now);
            }
            if (status == ServiceStatus.Started) {
                lastFailure.remove(route.getRouteId());
                up.add(where);
            } else {
                Throwable cause = lastFailure.get(route.getRouteId());
                down.add(where + " not listening: "
                        + (cause != null ? rootMessage(cause) + retryNote(context, route) : String.valueOf(status)));
            }
        }
        b.detail("listening", String.join(", ", up));
        if (down.isEmpty()) {
            b.up().message(up.isEmpty() ? "no syslog listener configured" : "listening: " + String.join(", ", up));
        } else {
            b.down().message(String.join("; ", down) + (up.isEmpty() ? "" : "; listening: " + String.join(", ", up)));
        }
    }

    private static void routesStarted(HealthCheckResultBuilder b, CamelContext context) {
        RouteController controller = context.getRouteController();
        if (!context.isStarted()) {
            b.down().message("Camel is " + context.getStatus());
            return;
        }
        if (controller instanceof SupervisingRouteController supervising && supervising.isStartingRoutes()) {
            b.down().message("routes are still starting");
            return;
        }
        List<String> failed = new ArrayList<>();
        if (controller instanceof SupervisingRouteController supervising) {
            supervising.getRestartingRoutes().forEach(r -> failed.add(r.getRouteId() + " (retrying)"));
            supervising.getExhaustedRoutes().forEach(r -> failed.add(r.getRouteId() + " (gave up)"));
        }
        if (failed.isEmpty()) {
            b.up().message(context.getRoutes().size() + " routes started");
        } else {
            b.down().message("routes that failed to start: " + String.join(", ", failed));
        }
    }

    private static void detectionRecent(HealthCheckResultBuilder b, CamelContext context, DataSource dataSource,
                                         Duration maxAge, Instant bootedAt) {
        if (context.getRouteController().getRouteStatus(DETECTION_ROUTE) == ServiceStatus.Stopped
                && restartException(context, DETECTION_ROUTE) == null) {
            b.up().message("the engine is switched off (detection not scheduled)");
            return;
        }
        Instant last;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT max(finished_at) FROM detection_run WHERE status IN ('ok', 'skipped')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            Timestamp t = rs.getTimestamp(1);
            last = t == null ? null : t.toInstant();
        } catch (SQLException e) {
            b.down().message("cannot read detection_run: " + e.getMessage());
            return;
        }
        Instant now = Instant.now();
        Instant since = last == null || last.isBefore(bootedAt) ? bootedAt : last;
        long ageMinutes = Duration.between(since, now).toMinutes();
        b.detail("last.run", last == null ? "never" : last.toString());
        if (Duration.between(since, now).compareTo(maxAge) <= 0) {
            b.up().message(last == null ? "no detection run yet (started " + ageMinutes + " min ago)"
                    : "last detection run finished at " + last);
        } else {
            b.down().message("no successful detection run for " + ageMinutes + " min (limit "
                    + maxAge.toMinutes() + " min, health.detection-max-age-minutes); last: "
                    + (last == null ? "never" : last.toString()));
        }
    }

    private static String listenAddress(Route route) {
        String uri = route.getEndpoint().getEndpointUri();
        int q = uri.indexOf('?');
        String address = q < 0 ? uri : uri.substring(0, q);
        return address.startsWith("netty://") ? address.substring("netty://".length()) : address;
    }

    private static Throwable restartException(CamelContext context, String routeId) {
        return context.getRouteController() instanceof SupervisingRouteController s ? s.getRestartException(routeId) : null;
    }

    private static String retryNote(CamelContext context, Route route) {
        if (context.getRouteController() instanceof SupervisingRouteController s) {
            if (s.getExhaustedRoutes().contains(route)) {
                return " (gave up retrying)";
            }
            return " (retrying every " + Duration.ofMillis(s.getBackOffDelay()).toSeconds() + " s)";
        }
        return "";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private interface Check {
        void call(HealthCheckResultBuilder builder);
    }

    private static AbstractHealthCheck readiness(String id, Check check) {
        return new AbstractHealthCheck(GROUP, id) {
            @Override
            public boolean isLiveness() {
                return false;
            }

            @Override
            protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                check.call(builder);
            }
        };
    }
}
