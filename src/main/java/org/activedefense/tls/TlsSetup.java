package org.activedefense.tls;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires TLS from the {@code tls.*}, {@code https.*} and {@code http.enabled} properties: picks the
 * certificate (configured key store, else the self-signed one under {@code tls.dir}), logs its
 * fingerprint, binds it for the routes (HTTPS, syslog over TLS, the PEM download, the expiry
 * watch), and lays out the HTTP listeners:
 * <ul>
 *   <li>plain HTTP on (default): Camel's server stays plain on {@code http.port}, and an
 *       {@link HttpsListener} serves the same routes on {@code https.port};</li>
 *   <li>plain HTTP off: Camel's server itself listens with TLS on {@code https.port}, and nothing
 *       listens on {@code http.port}.</li>
 * </ul>
 * Runs while camel-main configures the context: the HTTP server services exist but have not started.
 */
public final class TlsSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TlsSetup.class);

    private TlsSetup() {
    }

    public static ServerCertificate configure(CamelContext context, MeterRegistry registry) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Path folder = Path.of(text(properties, "tls.dir"));
        ServerCertificate certificate = certificate(properties, folder);
        LOG.info("TLS certificate for HTTPS and syslog over TLS: {}", certificate.describe());

        SSLContextParameters tls = contextParameters(certificate);
        tls.setCamelContext(context);
        context.getRegistry().bind("serverCertificate", certificate);
        context.getRegistry().bind("tlsContextParameters", tls);
        if (context.getSSLContextParameters() == null) {
            // what camel.server.useGlobalSslContextParameters and the other components' global option use
            context.setSSLContextParameters(tls);
        }
        context.getRegistry().bind("certificateExpiryWatch", new CertificateExpiryWatch(certificate,
                integer(properties, "tls.expiry.warning-days"), folder, Clock.systemUTC(), registry));

        layOutListeners(context, properties, tls);
        return certificate;
    }

    private static ServerCertificate certificate(PropertiesComponent properties, Path folder) throws Exception {
        String keystore = text(properties, "tls.keystore.path");
        if (!keystore.isEmpty()) {
            return ServerCertificate.fromKeyStore(Path.of(keystore), text(properties, "tls.keystore.type"),
                    text(properties, "tls.keystore.password"), text(properties, "tls.keystore.alias"));
        }
        List<String> names = Arrays.stream(text(properties, "tls.self-signed.names").split(","))
                .map(String::trim).filter(n -> !n.isEmpty()).toList();
        return SelfSignedCertificate.loadOrCreate(folder, new SelfSignedCertificate.Spec(names,
                integer(properties, "tls.self-signed.validity-days"), text(properties, "tls.self-signed.key-type")),
                Clock.systemUTC());
    }

    private static SSLContextParameters contextParameters(ServerCertificate certificate) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setKeyStore(certificate.keyStore());
        store.setPassword(new String(certificate.password()));
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store);
        keys.setKeyPassword(new String(certificate.password()));
        SSLContextParameters tls = new SSLContextParameters();
        tls.setKeyManagers(keys);
        return tls;
    }

    private static void layOutListeners(CamelContext context, PropertiesComponent properties, SSLContextParameters tls)
            throws Exception {
        boolean plain = bool(properties, "http.enabled");
        boolean https = bool(properties, "https.enabled");
        int httpPort = integer(properties, "http.port");
        int httpsPort = integer(properties, "https.port");
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            LOG.warn("camel.server.enabled is false: no HTTP server, so no HTTPS either");
            return;
        }
        if (!plain && !https) {
            throw new IllegalArgumentException("http.enabled and https.enabled are both false: the firewall could not fetch the block list");
        }
        if (plain && https) {
            HttpsListener listener = new HttpsListener(server.getPort(), server.getHost(), httpsPort, tls);
            context.getRegistry().bind("httpsListener", listener);
            context.addStartupListener(listener);
            context.addService(listener, true, true);
            HealthCheckRegistry health = HealthCheckRegistry.get(context);
            if (health != null) {
                health.register(listener.healthCheck());
            }
            return;
        }
        if (!plain) {
            // Camel's own server becomes the HTTPS one; management endpoints sharing its port follow it
            ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
            if (management != null && management.getPort() == server.getPort()) {
                management.setPort(httpsPort);
                management.setSslContextParameters(tls);
            }
            server.setPort(httpsPort);
            server.setSslContextParameters(tls);
            LOG.info("Plain HTTP is off (http.enabled=false): HTTPS only, on port {}", httpsPort);
        }
    }

    private static String text(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim).orElse("");
    }

    private static int integer(PropertiesComponent properties, String key) {
        String value = text(properties, key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
        }
    }

    private static boolean bool(PropertiesComponent properties, String key) {
        String value = text(properties, key);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }
}
