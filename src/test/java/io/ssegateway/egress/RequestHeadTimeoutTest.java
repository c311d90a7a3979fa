package io.ssegateway.egress;

import io.ssegateway.core.Event;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.RawSse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request head that does not arrive within {@code sse.request-head-timeout} gets a 408 and the
 * connection closes, on every route (a trickle of one byte a second once held an instance's every
 * file descriptor); a kept-alive connection between requests and an open stream are not timed.
 */
class RequestHeadTimeoutTest {
    private static final String TIMEOUT = "1s";
    private static Gateway gateway;
    private static ScheduledExecutorService trickler;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("sse.request-head-timeout", TIMEOUT));
        trickler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        trickler.shutdownNow();
        gateway.close();
    }

    @Test
    void aTrickledHeadIsAnswered408AndTheConnectionClosesOnEveryRoute() throws IOException {
        for (String head : new String[] {
                "GET /subscribe/slow HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n",
                "POST /broadcast HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
                "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"}) {
            assertTimedOut(trickle(head), head);
        }
    }

    @Test
    void aConnectionThatSendsNothingIsAnswered408() throws IOException {
        try (Socket silent = connect()) {
            assertTimedOut(silent, "nothing");
        }
    }

    @Test
    void aKeptAliveConnectionAndAnOpenStreamOutliveTheTimeout() throws IOException {
        try (RawSse stream = new RawSse(gateway.port(), "/subscribe/long");
             Socket keptAlive = connect()) {
            stream.readUntil("retry: 3000\n\n");
            String health = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";
            keptAlive.getOutputStream().write(health.getBytes(StandardCharsets.US_ASCII));
            assertTrue(readResponse(keptAlive.getInputStream()).startsWith("HTTP/1.1 200 "));

            // The trickle's 408 comes a timeout after it started: both connections have been
            // idle at least that long by then.
            assertTimedOut(trickle("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"), "the trickle");

            keptAlive.getOutputStream().write(health.getBytes(StandardCharsets.US_ASCII));
            assertTrue(readResponse(keptAlive.getInputStream()).startsWith("HTTP/1.1 200 "));
            Event event = gateway.publish("/long", "message", "still here");
            assertTrue(stream.readMore("data: still here\n\n").contains("id: " + event.id() + "\n"));
        }
    }

    /** A connection on which {@code head} is being sent one byte every 100 ms. */
    private static Socket trickle(String head) throws IOException {
        Socket socket = connect();
        byte[] bytes = head.getBytes(StandardCharsets.US_ASCII);
        AtomicInteger next = new AtomicInteger();
        trickler.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i >= bytes.length) {
                throw new IllegalStateException("done");
            }
            try {
                socket.getOutputStream().write(bytes[i]);
            } catch (IOException closed) {
                throw new IllegalStateException("closed by the server");
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        return socket;
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** The 408 with the gateway's error body, and then the end of the connection. */
    private static void assertTimedOut(Socket socket, String what) throws IOException {
        try (socket) {
            InputStream in = socket.getInputStream();
            String response = readResponse(in);
            assertTrue(response.startsWith("HTTP/1.1 408 "), what + ": " + response);
            assertTrue(response.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\n{\"error\":\"REQUEST_TIMEOUT\",\"message\":\"the request head did not arrive in time\"}"),
                    response);
            try {
                assertEquals(-1, in.read(), what + ": nothing after the 408");
            } catch (SocketException reset) {
                // Closed under bytes still trickling in: also the end.
            }
        }
    }

    /** One response with a Content-Length body, read without waiting for the connection to end. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a response: " + seen.toString(StandardCharsets.ISO_8859_1));
            }
            seen.write(b);
        }
        String head = seen.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        seen.writeBytes(in.readNBytes(length));
        return seen.toString(StandardCharsets.UTF_8);
    }
}
