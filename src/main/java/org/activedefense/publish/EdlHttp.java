package org.activedefense.publish;

import org.activedefense.publish.EdlPublisher.Response;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Carries an HTTP request for {@code /files/<list>} to the {@link EdlPublisher} and its answer back. */
public final class EdlHttp {

    private final EdlPublisher publisher;

    public EdlHttp(EdlPublisher publisher) {
        this.publisher = publisher;
    }

    public void handle(Message message) {
        Response r = publisher.serve(
                message.getHeader("list", String.class),
                "HEAD".equalsIgnoreCase(message.getHeader(Exchange.HTTP_METHOD, String.class)),
                message.getHeader("Authorization", String.class),
                message.getHeader("If-None-Match", String.class),
                message.getHeader("If-Modified-Since", String.class),
                message.getHeader("Accept-Encoding", String.class));
        // Request headers (credentials among them) must not be echoed into the response.
        message.removeHeaders("*");
        r.headers().forEach(message::setHeader);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, r.status());
        message.setBody(r.body());
    }
}
