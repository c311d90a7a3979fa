package io.ssegateway.bench;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * {@code --reconnect} against a server that ends every stream: the subscriber comes back each
 * time, with the id of the last event it received, also after a stream that carried none.
 */
class ReconnectTest {
    private static final long TIMEOUT_SECONDS = 10;

    @Test
    void aCutSubscriberReconnectsEachTimeWithTheLastIdItReceived() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            BlockingQueue<String> lastEventIds = new LinkedBlockingQueue<>();
            // Stream 1: event 0 with id "a", then the end. Stream 2: nothing, the end.
            // Stream 3: event 1 with id "b", then the end. Stream 4 stays open.
            List<String> bodies = Arrays.asList(frame("a", 0), "", frame("b", 1), null);
            Thread serving = new Thread(() -> serve(server, bodies, lastEventIds), "fake-sse-server");
            serving.setDaemon(true);
            serving.start();

            Options o = Options.parse(new String[] {"--sub", "http://127.0.0.1:" + server.getLocalPort() + "/subscribe/r",
                    "--reconnect"});
            try (SseClients clients = new SseClients(o, new Window())) {
                clients.open(1, 0, 1, 0, null);
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < bodies.size(); i++) {
                    String id = lastEventIds.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    assertNotNull(id, "connection " + (i + 1) + " never came; got " + seen);
                    seen.add(id);
                }
                assertEquals(List.of("-", "a", "a", "b"), seen);
                SseConnection c = clients.connections().get(0);
                clients.totals();
                assertEquals(2, c.tracker.unique(0));
            }
        }
    }

    private static String frame(String id, long seq) {
        return "id: " + id + "\ndata: " + Payload.encode(0, seq, 1) + "\n\n";
    }

    /** Answers one connection per body, noting the Last-Event-ID each asked with ("-": none). */
    private static void serve(ServerSocket server, List<String> bodies, BlockingQueue<String> lastEventIds) {
        List<Socket> open = new ArrayList<>();
        try {
            for (String body : bodies) {
                Socket s = server.accept();
                open.add(s);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                String id = "-";
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    if (line.regionMatches(true, 0, "Last-Event-ID:", 0, 14)) {
                        id = line.substring(14).trim();
                    }
                }
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n" + (body == null ? "" : body))
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                lastEventIds.add(id);
                if (body != null) {
                    s.close();
                }
            }
        } catch (IOException e) {
            // The test ended and closed the server socket.
        } finally {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // Closing anyway.
                }
            }
        }
    }
}
