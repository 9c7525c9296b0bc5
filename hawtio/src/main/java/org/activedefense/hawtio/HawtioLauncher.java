package org.activedefense.hawtio;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.EnumSet;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/**
 * Starts Hawtio 4 (the hawtio-default war) in an embedded Jetty 12 on this machine only, with a
 * connection to ActiveDefense's Jolokia already set up: opening {@code http://127.0.0.1:8090/}
 * lands on the Camel routes of the service.
 *
 * <p>Settings, each a {@code -D} option or the environment variable in brackets:
 * {@code hawtio.port} (HAWTIO_PORT, 8090), {@code jolokia.url} (JOLOKIA_URL,
 * http://127.0.0.1:9876/observe/jolokia), {@code management.username} (MANAGEMENT_USERNAME, monitor),
 * {@code management.password} (MANAGEMENT_PASSWORD; when unset, read from
 * {@code management.users-file} (MANAGEMENT_USERS_FILE, data/management-users.properties), the file
 * the service keeps its generated login in).
 */
public final class HawtioLauncher {

    /** Id of the connection in Hawtio's browser storage; {@code ?con=} selects it. */
    static final String CONNECTION_ID = "active-defense";

    private HawtioLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Server server = start();
        server.join();
    }

    public static Server start() throws Exception {
        int port = Integer.parseInt(setting("hawtio.port", "HAWTIO_PORT", "8090"));
        URI jolokia = URI.create(setting("jolokia.url", "JOLOKIA_URL", "http://127.0.0.1:9876/observe/jolokia"));
        String user = setting("management.username", "MANAGEMENT_USERNAME", "monitor");
        String password = setting("management.password", "MANAGEMENT_PASSWORD", "");
        if (password.isEmpty()) {
            password = passwordFromUsersFile(
                    Path.of(setting("management.users-file", "MANAGEMENT_USERS_FILE", "data/management-users.properties")), user);
        }
        String authorization = "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));

        // Hawtio's own settings: it listens on loopback only and holds the service login itself,
        // so it asks for no login of its own; its proxy may reach the service's host only.
        System.setProperty("hawtio.authenticationEnabled", "false");
        System.setProperty("hawtio.proxyAllowlist", jolokia.getHost());
        System.setProperty("hawtio.localAddressProbing", "false");

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        WebAppContext hawtio = new WebAppContext();
        hawtio.setContextPath("/hawtio");
        hawtio.setWar(unpackWar().toString());
        hawtio.setParentLoaderPriority(false);
        Path tmp = Files.createTempDirectory("active-defense-hawtio");
        hawtio.setTempDirectory(tmp.toFile());
        String proxyPrefix = "/proxy/" + jolokia.getScheme() + "/" + jolokia.getHost() + "/" + effectivePort(jolokia) + "/";
        hawtio.addFilter(new FilterHolder(serviceLogin(proxyPrefix, authorization)), "/proxy/*",
                EnumSet.of(DispatcherType.REQUEST));

        ServletContextHandler landing = new ServletContextHandler();
        landing.setContextPath("/");
        landing.addServlet(new ServletHolder(new Landing(jolokia)), "");

        server.setHandler(new ContextHandlerCollection(hawtio, landing));
        server.start();
        System.out.println("Hawtio for ActiveDefense: http://127.0.0.1:" + connector.getLocalPort() + "/  (Jolokia "
                + jolokia + " as " + user + ")");
        return server;
    }

    /** Adds the service login to requests Hawtio's proxy forwards to the service's Jolokia. */
    private static Filter serviceLogin(String proxyPrefix, String authorization) {
        return (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            String path = http.getRequestURI().substring(http.getContextPath().length());
            if (!path.startsWith(proxyPrefix)) {
                chain.doFilter(request, response);
                return;
            }
            chain.doFilter(new HttpServletRequestWrapper(http) {
                @Override
                public String getHeader(String name) {
                    return "Authorization".equalsIgnoreCase(name) ? authorization : super.getHeader(name);
                }

                @Override
                public Enumeration<String> getHeaders(String name) {
                    return "Authorization".equalsIgnoreCase(name)
                            ? Collections.enumeration(List.of(authorization)) : super.getHeaders(name);
                }

                @Override
                public Enumeration<String> getHeaderNames() {
                    List<String> names = Collections.list(super.getHeaderNames());
                    if (names.stream().noneMatch("Authorization"::equalsIgnoreCase)) {
                        names.add("Authorization");
                    }
                    return Collections.enumeration(names);
                }
            }, response);
        };
    }

    /** Stores the connection in the browser as Hawtio's Connect page would, then opens the Camel routes. */
    private static final class Landing extends HttpServlet {
        private final URI jolokia;

        Landing(URI jolokia) {
            this.jolokia = jolokia;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String connection = "{\"" + CONNECTION_ID + "\":{\"id\":\"" + CONNECTION_ID + "\",\"name\":\"ActiveDefense\","
                    + "\"scheme\":\"" + jolokia.getScheme() + "\",\"host\":\"" + jolokia.getHost() + "\","
                    + "\"port\":" + effectivePort(jolokia) + ",\"path\":\"" + jolokia.getPath() + "\"}}";
            response.setContentType("text/html; charset=UTF-8");
            response.getWriter().write("<!doctype html><title>ActiveDefense Hawtio</title><script>"
                    + "localStorage.setItem('connect.connections', JSON.stringify(" + connection + "));"
                    + "location.replace('/hawtio/camel/routes?con=" + CONNECTION_ID + "');"
                    + "</script>");
        }
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static Path unpackWar() throws IOException {
        Path war = Files.createTempFile("hawtio-default", ".war");
        war.toFile().deleteOnExit();
        try (InputStream in = HawtioLauncher.class.getResourceAsStream("/hawtio-default.war")) {
            if (in == null) {
                throw new IllegalStateException("hawtio-default.war is not in the launcher jar: build it with mvn -f hawtio/pom.xml package");
            }
            Files.copy(in, war, StandardCopyOption.REPLACE_EXISTING);
        }
        return war;
    }

    /** The password in the service's users file ("user.NAME = PASSWORD,ROLE"). */
    static String passwordFromUsersFile(Path file, String user) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no management.password given and " + file.toAbsolutePath()
                    + " does not exist: start the service once, or set MANAGEMENT_PASSWORD");
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0 && line.substring(0, eq).trim().equals("user." + user)) {
                return line.substring(eq + 1).trim().split(",")[0].trim();
            }
        }
        throw new IllegalStateException("no login for " + user + " in " + file.toAbsolutePath());
    }

    private static String setting(String property, String env, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
