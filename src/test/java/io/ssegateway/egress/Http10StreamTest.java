package io.ssegateway.egress;

import io.ssegateway.core.Event;
import io.ssegateway.testing.Gateway;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An HTTP/1.0 client knows no chunked coding (RFC 9112 §7.1): its stream, and a refusal for now,
 * is the bare event stream, delimited by the close, with the same bytes an HTTP/1.1 client gets
 * inside its chunks.
 */
class Http10StreamTest {
    private static final String REQUEST = "GET /subscribe/old HTTP/1.0\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n";

    @Test
    void anHttp10StreamIsTheBareEventStreamEndedByTheClose() throws IOException {
        try (Gateway gateway = Gateway.start(Map.of("sse.max-connections", 1, "sse.max-connection-age", "4s",
                "sse.max-connection-age-jitter", 0, "sse.reconnect-delay-min", "1000ms", "sse.reconnect-delay-max", "1000ms"));
             Socket stream = new Socket("127.0.0.1", gateway.port())) {
            stream.setSoTimeout(10_000);
            stream.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            InputStream in = stream.getInputStream();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            readUntil(in, seen, "retry: 3000\n\n");

            String refused = exchange(gateway.port(), REQUEST);
            assertEquals(": too-many-connections\nretry: 1000\n\n", body(refused), refused);
            assertStreamHead(head(refused));

            String large = "x".repeat(StreamWriter.COPY_LIMIT * 2);
            Event small = gateway.publish("/old", "message", "one\ntwo");
            Event big = gateway.publish("/old", "big", large);
            readToTheEnd(in, seen);
            String response = seen.toString(StandardCharsets.UTF_8);
            assertStreamHead(head(response));
            assertEquals("retry: 3000\n\n"
                    + "id: " + small.id() + "\ndata: one\ndata: two\n\n"
                    + "id: " + big.id() + "\nevent: big\ndata: " + large + "\n\n"
                    + "retry: 1000\n\n", body(response));
        }
    }

    private static void assertStreamHead(String head) {
        assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
        assertTrue(head.contains("\r\ncontent-type: text/event-stream"), head);
        assertTrue(head.contains("\r\nconnection: close"), head);
        assertFalse(head.toLowerCase().contains("transfer-encoding"), head);
        assertFalse(head.toLowerCase().contains("content-length"), head);
    }

    private static String head(String response) {
        return response.substring(0, response.indexOf("\r\n\r\n") + 2);
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private static void readUntil(InputStream in, ByteArrayOutputStream seen, String marker) throws IOException {
        byte[] buf = new byte[4096];
        while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("ended before '" + marker + "': " + seen.toString(StandardCharsets.UTF_8));
            }
            seen.write(buf, 0, n);
        }
    }

    private static void readToTheEnd(InputStream in, ByteArrayOutputStream seen) throws IOException {
        byte[] buf = new byte[16 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
            seen.write(buf, 0, n);
        }
    }

    private static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            readToTheEnd(s.getInputStream(), seen);
            return seen.toString(StandardCharsets.UTF_8);
        }
    }
}
