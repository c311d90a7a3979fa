package io.ssegateway.egress;

import io.micronaut.context.ApplicationContext;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.PublishGrant;
import io.ssegateway.core.Publisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SSE route on the Netty pipeline, fed raw HTTP through an embedded channel (no socket):
 * what it answers, byte for byte, to a subscription, to a request it refuses and to a path
 * that is not a stream.
 */
class SseRouterTest {
    private static final String STREAM_HEAD = "HTTP/1.1 200 OK\r\n"
            + "content-type: text/event-stream\r\n"
            + "cache-control: no-cache\r\n"
            + "X-Accel-Buffering: no\r\n"
            + "connection: close\r\n"
            + "transfer-encoding: chunked\r\n"
            + "\r\n";

    private static ApplicationContext context;
    private final List<EmbeddedConnection> connections = new ArrayList<>();

    @BeforeAll
    static void start() {
        context = ApplicationContext.run(Map.of("sse.control.port", 0, "sse.exit-after-halt", false), "test");
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @AfterEach
    void closeConnections() {
        connections.forEach(EmbeddedConnection::close);
    }

    @Test
    void aSubscriptionGetsTheStreamHeadAndRetryInOneFlushThenEachTurnsEventsAsOneChunk() {
        EmbeddedConnection c = connect();
        c.send("GET /subscribe/pets HTTP/1.1\r\nHost: gw\r\n\r\n");
        assertEquals(STREAM_HEAD + "0000000d\r\nretry: 3000\n\n\r\n", c.received());

        Event cat = publish("/pets/cats", "new-cat", "Persian\nwhite");
        c.runTasks();
        assertEquals(chunk("id: " + cat.id() + "\nevent: new-cat\ndata: Persian\ndata: white\n\n"), c.received());

        // Published together, before the connection's loop turns: one chunk, one flush.
        Event one = publish("/pets", "message", "1");
        Event two = publish("/pets/dogs", "message", "2");
        c.runTasks();
        assertEquals(chunk("id: " + one.id() + "\ndata: 1\n\n" + "id: " + two.id() + "\ndata: 2\n\n"), c.received());

        // Whole segments: /petshop is not under /pets.
        publish("/petshop", "message", "not yours");
        c.runTasks();
        assertEquals("", c.received());
        assertTrue(c.passedOn().isEmpty(), "a stream request never reaches Micronaut's handler: " + c.passedOn());
    }

    @Test
    void aServerEndedStreamSendsALastRetryAndTheLastChunk() {
        EmbeddedConnection c = connect();
        c.send("GET /subscribe/ending HTTP/1.1\r\nHost: gw\r\n\r\n");
        c.received();
        SseStream stream = context.getBean(Connections.class).streams().stream()
                .filter(s -> s.identity().endpoint().equals("/subscribe/ending")).findFirst().orElseThrow();
        assertEquals(StreamKind.SUBSCRIBE, stream.identity().kind());
        stream.close("test");
        c.runTasks();
        String end = c.received();
        Matcher retry = Pattern.compile("retry: ([0-9]+)\n\n").matcher(end);
        assertTrue(retry.find(), end);
        long delay = Long.parseLong(retry.group(1));
        // At random between the configured 500 ms and 3 s, so a drain's clients spread out.
        assertTrue(delay >= 500 && delay <= 3000, end);
        assertEquals(chunk("retry: " + delay + "\n\n") + "0\r\n\r\n", end);
        assertFalse(c.isOpen());
    }

    @Test
    void anInvalidNamespaceIsRefusedWithA400AndAReasonAndNoStream() {
        EmbeddedConnection c = connect();
        c.send("GET /subscribe/pets/../cats HTTP/1.1\r\nHost: gw\r\n\r\n");
        String body = "{\"error\":\"INVALID_NAMESPACE\",\"message\":\"namespace segment '..' is not allowed\"}";
        assertEquals("HTTP/1.1 400 Bad Request\r\n"
                + "content-type: application/json\r\n"
                + "content-length: " + body.length() + "\r\n"
                + "\r\n"
                + body, c.received());
        assertTrue(c.isOpen(), "a keep-alive request keeps its connection");
        assertTrue(c.passedOn().isEmpty(), c.passedOn().toString());
    }

    @Test
    void aPostToAStreamIsRefusedWith405AndTheMethodsAllowed() {
        EmbeddedConnection c = connect();
        c.send("POST /subscribe/pets HTTP/1.1\r\nHost: gw\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");
        String body = "{\"error\":\"METHOD_NOT_ALLOWED\",\"message\":\"use GET for an event stream\"}";
        assertEquals("HTTP/1.1 405 Method Not Allowed\r\n"
                + "content-type: application/json\r\n"
                + "Allow: GET, OPTIONS\r\n"
                + "content-length: " + body.length() + "\r\n"
                + "connection: close\r\n"
                + "\r\n"
                + body, c.received());
        assertFalse(c.isOpen(), "Connection: close is honoured");
        assertTrue(c.passedOn().isEmpty(), "the body is swallowed, not handed on: " + c.passedOn());
    }

    @Test
    void aPathThatIsNoStreamPassesToMicronautUntouchedAndNothingIsWritten() {
        EmbeddedConnection c = connect();
        c.send("GET /subscribers HTTP/1.1\r\nHost: gw\r\n\r\n");
        assertEquals("", c.received());
        assertEquals(List.of("request GET /subscribers", "end"), c.passedOn());
        c.send("GET /status HTTP/1.1\r\nHost: gw\r\n\r\n");
        assertEquals("", c.received());
        assertEquals(4, c.passedOn().size(), "the connection stays with Micronaut: " + c.passedOn());
    }

    private EmbeddedConnection connect() {
        EmbeddedConnection c = new EmbeddedConnection(context.getBean(SseService.class));
        connections.add(c);
        return c;
    }

    private static Event publish(String namespace, String type, String data) {
        return context.getBean(Publisher.class)
                .publish(EventDraft.of(Namespace.parse(namespace), type, data), PublishGrant.ANYWHERE, "test").join();
    }

    /** One HTTP/1.1 chunk as the stream writes it: the size in eight hex digits. */
    static String chunk(String body) {
        return String.format("%08x\r\n%s\r\n", body.length(), body);
    }
}
