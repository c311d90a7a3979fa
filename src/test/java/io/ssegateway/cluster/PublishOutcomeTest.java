package io.ssegateway.cluster;

import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.SseRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a refused publish tells its caller: 503 only when nothing was stored, 504
 * {@code PUBLISH_OUTCOME_UNKNOWN} when Redis was asked and did not answer in time. On a Redis
 * server of its own, since the tests pause it and fill its memory.
 */
class PublishOutcomeTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** Longer than the command timeout, so the publish times out while Redis holds it queued. */
    private static final Duration PAUSE = Duration.ofSeconds(3);
    private static OwnRedisCluster own;
    private static Cluster cluster;
    private static Gateway a;
    private static Gateway b;
    private static int controlPort;
    private static RedisCommands<String, String> redisCli;

    @BeforeAll
    static void start() {
        controlPort = freePort();
        own = OwnRedisCluster.start(2, Map.of("sse.redis.command-timeout", COMMAND_TIMEOUT.toMillis() + "ms"), Map.of("sse.control.port", controlPort));
        cluster = own.cluster;
        a = cluster.get(0);
        b = cluster.get(1);
        redisCli = own.commands();
    }

    @AfterAll
    static void stop() {
        if (own != null) {
            own.close();
        }
    }

    @BeforeEach
    void ready() {
        cluster.awaitReady();
    }

    @AfterEach
    void cleanUp() {
        redisCli.configSet("maxmemory", "0");
        cluster.closeStreams();
    }

    @Test
    void publishThatTimesOutWhileRedisHoldsItIsAnUnknownOutcomeNotARefusal() {
        SseRecorder subscriber = cluster.subscribe(b, "/subscribe/paused");

        pause(PAUSE);
        Http.Reply reply = cluster.broadcast(a, "{\"namespace\":\"/paused\",\"data\":\"held\"}");

        assertEquals(504, reply.status(), reply.body());
        assertEquals("PUBLISH_OUTCOME_UNKNOWN", Cluster.json(reply.body()).get("error").asText());
        // Redis ran the queued script when the pause ended: the event was published after all,
        // which is why the answer could not be "nothing was published, retry".
        SseRecorder.Received delivered = subscriber.next();
        assertEquals("held", delivered.data());
        assertEquals(List.of(delivered.id().substring(delivered.id().indexOf('-') + 1)), positions("/paused"));
    }

    @Test
    void controlPortSaysTheOutcomeIsUnknownToo() {
        SseRecorder subscriber = cluster.subscribe(b, "/subscribe/paused-line");

        pause(PAUSE);
        String answer = controlLine("/paused-line = held");

        assertTrue(answer.startsWith("ERR PUBLISH_OUTCOME_UNKNOWN "), answer);
        assertEquals("held", subscriber.next().data());
    }

    @Test
    void fullRedisUnderNoevictionRefusesWith503AndStoresNothing() {
        SseRecorder subscriber = cluster.subscribe(b, "/subscribe/full");
        String before = cluster.publish(a, "/full", "before");
        assertEquals(before, subscriber.next().id());
        redisCli.configSet("maxmemory-policy", "noeviction");
        // maxmemory below what Redis already holds: every write that needs memory is refused.
        long used = Long.parseLong(info("used_memory"));
        redisCli.configSet("maxmemory", Long.toString(used / 2));

        Http.Reply reply = cluster.broadcast(a, "{\"namespace\":\"/full\",\"data\":\"refused\"}");
        String line = controlLine("/full = refused");

        assertEquals(503, reply.status(), reply.body());
        assertEquals("BROKER_UNAVAILABLE", Cluster.json(reply.body()).get("error").asText());
        assertTrue(line.startsWith("ERR BROKER_UNAVAILABLE "), line);
        redisCli.configSet("maxmemory", "0");
        assertEquals(List.of(before.substring(before.indexOf('-') + 1)), positions("/full"), "nothing was stored");
        String after = cluster.publish(a, "/full", "after");
        SseRecorder.Received next = subscriber.next();
        assertEquals(after, next.id(), "the refused events were never delivered");
        assertEquals(before.substring(0, before.indexOf('-')), after.substring(0, after.indexOf('-')),
                "the refusal left the history's state alone (same epoch)");
    }

    private static void pause(Duration duration) {
        redisCli.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(duration.toMillis()).add("WRITE"));
    }

    private static List<String> positions(String namespace) {
        return redisCli.xrange(cluster.prefix() + "@history:" + namespace, Range.create("-", "+")).stream()
                .map(m -> m.getId()).toList();
    }

    private static String info(String field) {
        for (String line : redisCli.info("memory").split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new AssertionError("no " + field + " in INFO");
    }

    private static String controlLine(String line) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), controlPort)) {
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
