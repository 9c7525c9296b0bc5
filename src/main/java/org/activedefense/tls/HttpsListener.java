package org.activedefense.tls;

import java.util.concurrent.TimeUnit;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.vertx.common.VertxHelper;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second, TLS listener of Camel's embedded HTTP server: same Vert.x instance, same request
 * handler (router), so every platform-http route — EDL, API, console, health — answers on the
 * HTTPS port exactly as on the plain one. camel-platform-http-main runs one listener per server;
 * this adds the other one instead of running a second copy of every route.
 */
public final class HttpsListener extends ServiceSupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpsListener.class);
    private static final long BIND_TIMEOUT_SECONDS = 30;

    private final int mainPort;
    private final String host;
    private final int port;
    private final SSLContextParameters tls;
    private volatile HttpServer server;
    private volatile String failure;

    /**
     * @param mainPort the port of the plain server whose routes to serve
     * @param host     address to bind
     * @param port     HTTPS port
     */
    public HttpsListener(int mainPort, String host, int port, SSLContextParameters tls) {
        this.mainPort = mainPort;
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        if (server != null) {
            return;
        }
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(mainPort));
        VertxPlatformHttpServer main = router == null ? null : router.getServer();
        if (main == null || main.getServer() == null) {
            failure = "the embedded HTTP server on port " + mainPort + " is not running";
            LOG.error("HTTPS not started: {}", failure);
            return;
        }
        HttpServerOptions options = new HttpServerOptions();
        VertxHelper.setupSSLOptions(context, tls, options);
        HttpServer created = main.getVertx().createHttpServer(options).requestHandler(main.getServer().requestHandler());
        try {
            created.listen(port, host).toCompletionStage().toCompletableFuture().get(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            server = created;
            failure = null;
            LOG.info("HTTPS listening on {}:{}", host, created.actualPort());
        } catch (Exception e) {
            // like a busy syslog port, a busy HTTPS port must not stop ingest: say so and run on
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            failure = "cannot listen on " + host + ":" + port + ": " + cause.getMessage();
            LOG.error("HTTPS not started: {}", failure);
        }
    }

    /** Why the listener is not running, or null when it is. */
    public String failure() {
        return server == null && failure == null ? "not started yet" : failure;
    }

    /** Readiness: DOWN with the reason while the HTTPS port is not listening (the firewall cannot fetch the list). */
    public AbstractHealthCheck healthCheck() {
        return new AbstractHealthCheck("active-defense", "https-listener") {
            @Override
            public boolean isLiveness() {
                return false;
            }

            @Override
            protected void doCall(HealthCheckResultBuilder builder, java.util.Map<String, Object> options) {
                String why = failure();
                if (why == null) {
                    builder.detail("port", actualPort()).up();
                } else {
                    builder.message("HTTPS " + why).down();
                }
            }
        };
    }

    public int actualPort() {
        HttpServer s = server;
        return s == null ? -1 : s.actualPort();
    }

    @Override
    protected void doStop() throws Exception {
        HttpServer s = server;
        server = null;
        if (s != null) {
            try {
                s.close().toCompletionStage().toCompletableFuture().get(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("HTTPS listener close: {}", e.getMessage());
            }
        }
    }
}
