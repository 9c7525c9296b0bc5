package org.activedefense.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Serves the web console's static files (HTML, CSS, JavaScript modules) from a fixed set read
 * once from the classpath folder {@code console/}: a request can only ever name one of those
 * files, so no path it sends reaches the file system or another classpath resource.
 *
 * <p>Every answer, errors included, carries the console's security headers (a strict
 * Content-Security-Policy, nosniff, no referrer, no framing).
 */
public final class ConsoleFiles {

    /** Where the console is mounted on the HTTP server. */
    public static final String MOUNT = "/console/";

    /** Scripts and styles only from the service itself; no inline code, no plugins, no framing. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json",
            "txt", "text/plain; charset=utf-8");

    /** One file of the console, with its validator. */
    record StaticFile(byte[] body, String contentType, String etag) {
    }

    /** What to send back: status, headers and body (empty for HEAD, 304 and redirects). */
    public record Response(int status, Map<String, String> headers, byte[] body) {
    }

    private final Map<String, StaticFile> files;

    ConsoleFiles(Map<String, byte[]> contents) {
        Map<String, StaticFile> loaded = new TreeMap<>();
        contents.forEach((name, body) -> {
            String type = contentType(name);
            if (type != null) {
                loaded.put(name, new StaticFile(body.clone(), type, etag(body)));
            }
        });
        this.files = Collections.unmodifiableMap(loaded);
    }

    /** Reads every file under the classpath folder {@code folder} (e.g. {@code console/}) once. */
    public static ConsoleFiles fromClasspath(ClassLoader loader, String folder) {
        URL anchor = loader.getResource(folder + "index.html");
        if (anchor == null) {
            throw new IllegalStateException("the console's " + folder + "index.html is not on the classpath");
        }
        try {
            return new ConsoleFiles(switch (anchor.getProtocol()) {
                case "file" -> readFolder(Path.of(anchor.toURI()).getParent());
                case "jar" -> readJar((JarURLConnection) anchor.openConnection(), folder);
                default -> throw new IllegalStateException("cannot list the console's files in " + anchor);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console's files from " + anchor, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the files served, relative to the mount ({@code index.html}, {@code js/app.js}, ...). */
    public java.util.Set<String> names() {
        return files.keySet();
    }

    /**
     * Answers a GET or HEAD for the raw request path (as sent, still percent-encoded, with or
     * without its query string).
     */
    public Response serve(String rawUri, boolean head, String ifNoneMatch) {
        String path = rawUri == null ? "" : rawUri;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.equals("/") || path.equals("/console")) {
            return redirect(MOUNT);
        }
        if (!path.startsWith(MOUNT)) {
            return notFound();
        }
        String name = fileName(path.substring(MOUNT.length()));
        StaticFile file = name == null ? null : files.get(name);
        if (file == null) {
            return notFound();
        }
        Map<String, String> headers = new LinkedHashMap<>(SECURITY_HEADERS);
        headers.put("Content-Type", file.contentType());
        headers.put("ETag", file.etag());
        // Revalidate every time: a new release must reach the browser at once, and a 304 is cheap.
        headers.put("Cache-Control", "no-cache");
        if (matches(ifNoneMatch, file.etag())) {
            return new Response(304, headers, new byte[0]);
        }
        headers.put("Content-Length", String.valueOf(file.body().length));
        return new Response(200, headers, head ? new byte[0] : file.body());
    }

    /**
     * The served file a relative path names, or null when it is malformed: only letters, digits,
     * dot, dash and underscore in segments, no empty, "." or ".." segment, no encoded characters
     * at all (the console's own names need none, so %2e, %2f, %5c and overlong forms are refused
     * before anything decodes them).
     */
    static String fileName(String relative) {
        if (relative.isEmpty()) {
            return "index.html";
        }
        if (relative.length() > 200 || relative.startsWith("/") || relative.endsWith("/")) {
            return null;
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.startsWith(".")) {
                return null;
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '.' || c == '-' || c == '_';
                if (!allowed) {
                    return null;
                }
            }
        }
        return relative;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static Response redirect(String location) {
        Map<String, String> headers = new LinkedHashMap<>(SECURITY_HEADERS);
        headers.put("Location", location);
        headers.put("Content-Length", "0");
        return new Response(302, headers, new byte[0]);
    }

    private static Response notFound() {
        Map<String, String> headers = new LinkedHashMap<>(SECURITY_HEADERS);
        byte[] body = "Not found\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        headers.put("Content-Type", "text/plain; charset=utf-8");
        headers.put("Content-Length", String.valueOf(body.length));
        return new Response(404, headers, body);
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? null : CONTENT_TYPES.get(name.substring(dot + 1));
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, byte[]> readFolder(Path root) throws IOException {
        Map<String, byte[]> found = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                String name = root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                found.put(name, Files.readAllBytes(p));
            }
        }
        return found;
    }

    private static Map<String, byte[]> readJar(JarURLConnection connection, String folder) throws IOException {
        connection.setUseCaches(false);
        Map<String, byte[]> found = new TreeMap<>();
        try (JarFile jar = connection.getJarFile()) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (!entry.isDirectory() && entry.getName().startsWith(folder)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        found.put(entry.getName().substring(folder.length()), in.readAllBytes());
                    }
                }
            }
        }
        return found;
    }
}
