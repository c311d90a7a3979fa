package io.ssegateway.ingress;

import io.ssegateway.testing.JsonTree;
import io.ssegateway.egress.Drain;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.SseRecorder.Received;
import org.junit.jupiter.api.AfterEach;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control port of a running gateway, over real TCP, seen by a real SSE subscriber. */
class ControlPortTest {
    private Gateway gateway;
    private int port;

    private void start() throws IOException {
        port = freePort();
        gateway = Gateway.start(Map.of("sse.control.port", port, "sse.drain-period", "0s"));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void linesAreAnsweredInOrderAndTheirEventsReachSubscribers() throws Exception {
        start();
        try (SseRecorder pets = SseRecorder.open(gateway.url("/subscribe/pets"));
             Client client = new Client(port)) {
            pets.awaitOpen();
            client.send("/pets/cats new-cat = Persian\n"
                    + "/pets/.. = x\n"
                    + "# comment: no reply\n"
                    + "pets/dogs = Rex\n"
                    + "/petshop = not for /pets\n"
                    + "/pets = multi = part\r\n"
                    + "status\n");

            String first = client.reply();
            assertEquals("ERR INVALID_NAMESPACE namespace segment '..' is not allowed", client.reply());
            String second = client.reply();
            String petshop = client.reply();
            String third = client.reply();
            JsonTree status = JsonTree.parse(client.reply());
            for (String ok : List.of(first, second, petshop, third)) {
                assertTrue(ok.startsWith("OK "), ok);
            }
            assertTrue(status.hasNonNull("instance"), status.toString());

            assertEquals(new Received(first.substring(3), "new-cat", "Persian"), pets.next());
            assertEquals(new Received(second.substring(3), "dogs", "Rex"), pets.next());
            // /petshop was published between these two: had it leaked to /pets, it would be next.
            assertEquals(new Received(third.substring(3), null, "multi = part"), pets.next());
        }
    }

    @Test
    void aClientThatShutsItsSideAfterSendingStillGetsEveryReply() throws Exception {
        start();
        try (Client client = new Client(port)) {
            // What "printf ... | nc -N" does: send everything, then half-close.
            client.send("/a = 1\nbad\n/b = 2\n");
            client.socket.shutdownOutput();
            assertTrue(client.reply().startsWith("OK "));
            assertTrue(client.reply().startsWith("ERR INVALID_COMMAND "));
            assertTrue(client.reply().startsWith("OK "));
            assertNull(client.reply(), "closed once every line is answered");
        }
    }

    @Test
    void manyConnectionsAtOnceEachGetTheirRepliesInOrder() throws Exception {
        start();
        int connections = 16;
        int lines = 50;
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int conn = c;
                Callable<List<String>> task = () -> {
                    try (Client client = new Client(port)) {
                        StringBuilder batch = new StringBuilder();
                        for (int i = 0; i < lines; i++) {
                            batch.append(i % 10 == 5 ? "not a command\n" : "/load/c" + conn + " = " + i + "\n");
                        }
                        client.send(batch.toString());
                        List<String> replies = new ArrayList<>();
                        for (int i = 0; i < lines; i++) {
                            replies.add(client.reply());
                        }
                        return replies;
                    }
                };
                results.add(pool.submit(task));
            }
            for (Future<List<String>> result : results) {
                List<String> replies = result.get(30, TimeUnit.SECONDS);
                String previous = null;
                for (int i = 0; i < lines; i++) {
                    String reply = replies.get(i);
                    if (i % 10 == 5) {
                        assertTrue(reply.startsWith("ERR INVALID_COMMAND "), reply);
                    } else {
                        assertTrue(reply.startsWith("OK "), reply);
                        String id = reply.substring(3);
                        assertTrue(previous == null || compareIds(previous, id) < 0, previous + " then " + id);
                        previous = id;
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void haltIsAnsweredThenTheInstanceDrainsAndStops() throws Exception {
        start();
        Drain drain = gateway.bean(Drain.class);
        try (Client client = new Client(port)) {
            client.send("halt\n");
            assertEquals("OK halting", client.reply());
            Await.until(drain::isDraining);
            Await.until(() -> !gateway.context().isRunning());
            assertNull(client.reply(), "the control port closes with the application");
        }
    }

    @Test
    void aPortInUseStopsTheStartupWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Exception e = assertThrows(Exception.class,
                    () -> Gateway.start(Map.of("sse.control.port", taken.getLocalPort())).close());
            String messages = "";
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages += t.getMessage() + "\n";
            }
            assertTrue(messages.contains("control port cannot listen on 127.0.0.1:" + taken.getLocalPort()), messages);
        }
    }

    /** A port nothing listens on right now. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int compareIds(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int c = Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
        return c != 0 ? c : Long.compare(Long.parseLong(x[2]), Long.parseLong(y[2]));
    }

    /** A line client, as {@code nc} would be. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String reply() throws IOException {
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
