package org.activedefense.console;

import org.activedefense.console.ConsoleFiles.Response;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Carries an HTTP request for the console (or the site root) to {@link ConsoleFiles} and its answer back. */
public final class ConsoleHttp {

    private final ConsoleFiles files;

    /** The console as packaged: the files under the classpath folder {@code console/}. */
    public ConsoleHttp() {
        this(ConsoleFiles.fromClasspath(ConsoleHttp.class.getClassLoader(), "console/"));
    }

    public ConsoleHttp(ConsoleFiles files) {
        this.files = files;
    }

    public void handle(Message message) {
        Response r = files.serve(
                message.getHeader(Exchange.HTTP_URI, String.class),
                "HEAD".equalsIgnoreCase(message.getHeader(Exchange.HTTP_METHOD, String.class)),
                message.getHeader("If-None-Match", String.class));
        // Request headers (cookies among them) must not be echoed into the response.
        message.removeHeaders("*");
        r.headers().forEach(message::setHeader);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, r.status());
        message.setBody(r.body());
    }
}
