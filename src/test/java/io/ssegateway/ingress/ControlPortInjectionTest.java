package io.ssegateway.ingress;

import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.SseRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile lines at the control port (the FIFO reads the same grammar): a bare CR, NUL,
 * Unicode separators and field lookalikes in the data arrive as data of one event; an event type
 * with CR or NUL is refused and the connection goes on; data over the payload limit is refused
 * as it is over HTTP.
 */
class ControlPortInjectionTest {
    private static final int MAX_PAYLOAD = 1024;
    private static Gateway gateway;
    private static int controlPort;

    @BeforeAll
    static void start() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            controlPort = s.getLocalPort();
        }
        gateway = Gateway.start(Map.of("sse.control.port", controlPort, "sse.max-payload", MAX_PAYLOAD));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** Sends the lines on one connection and returns one reply per line. */
    private static String[] send(String... lines) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", controlPort)) {
            socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
            socket.getOutputStream().write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            BufferedReader replies = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String[] out = new String[lines.length];
            for (int i = 0; i < lines.length; i++) {
                out[i] = replies.readLine();
            }
            return out;
        }
    }

    @Test
    void bareCrNulAndFieldLookalikesInControlPortDataArriveAsOneEventOfData() throws IOException {
        try (SseRecorder s = SseRecorder.open(gateway.url("/subscribe/ctl"))) {
            assertEquals(200, s.awaitOpen().code());
            String[] replies = send("/ctl = a\rid: forged\revent: forged\u0000 retry: 1\u2028data: x");
            assertTrue(replies[0].startsWith("OK "), replies[0]);
            SseRecorder.Received r = s.next();
            assertEquals(replies[0].substring(3), r.id());
            assertEquals("message", r.typeOrMessage());
            assertEquals("a\nid: forged\nevent: forged\u0000 retry: 1\u2028data: x", r.data());
        }
    }

    @Test
    void crOrNulInAControlPortEventTypeIsRefusedAndTheConnectionGoesOn() throws IOException {
        try (SseRecorder s = SseRecorder.open(gateway.url("/subscribe/ctl2"))) {
            assertEquals(200, s.awaitOpen().code());
            String[] replies = send("/ctl2 a\rid:1 = x", "/ctl2 a\u0000b = x", "ctl2/a\rb = x", "/ctl2 fine = after");
            assertTrue(replies[0].startsWith("ERR INVALID_EVENT_TYPE"), replies[0]);
            assertTrue(replies[1].startsWith("ERR INVALID_EVENT_TYPE"), replies[1]);
            assertTrue(replies[2].startsWith("ERR INVALID_EVENT_TYPE"), replies[2]);
            assertTrue(replies[3].startsWith("OK "), replies[3]);
            SseRecorder.Received r = s.next();
            assertEquals("fine", r.type());
            assertEquals("after", r.data());
        }
    }

    @Test
    void payloadOverTheLimitIsRefusedOnTheControlPortAsOverHttp() throws IOException {
        String[] replies = send("/ctl3 = " + "x".repeat(MAX_PAYLOAD + 1), "/ctl3 = " + "x".repeat(MAX_PAYLOAD * 3),
                "/ctl3 = " + "x".repeat(MAX_PAYLOAD));
        assertTrue(replies[0].startsWith("ERR PAYLOAD_TOO_LARGE"), replies[0]);
        assertTrue(replies[1].startsWith("ERR PAYLOAD_TOO_LARGE"), replies[1]);
        assertTrue(replies[2].startsWith("OK "), replies[2]);
    }
}
