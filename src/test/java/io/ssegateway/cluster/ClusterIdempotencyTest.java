package io.ssegateway.cluster;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Idempotency-Key} across two instances on one Redis: a request publishes at most once
 * whichever instance its repeats reach, and is answered as the first was. On a Redis server of
 * its own, since one test pauses it.
 */
class ClusterIdempotencyTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration PAUSE = Duration.ofSeconds(3);
    private static final MediaType JSON = MediaType.get("application/json");
    private static OwnRedisCluster own;
    private static Cluster cluster;
    private static Gateway a;
    private static Gateway b;
    private static String token;
    private static RedisCommands<String, String> redisCli;
    private static int keys;

    @BeforeAll
    static void start() {
        own = OwnRedisCluster.start(2, Map.of("sse.redis.command-timeout", COMMAND_TIMEOUT.toMillis() + "ms"), Map.of());
        cluster = own.cluster;
        a = cluster.get(0);
        b = cluster.get(1);
        token = TestTokens.publisher(a);
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
    void closeStreams() {
        cluster.closeStreams();
    }

    private static String newKey() {
        return "order-" + (++keys) + ":" + System.nanoTime();
    }

    private static Http.Reply post(Gateway on, String path, String key, String body) {
        Request.Builder r = new Request.Builder().url(on.url(path)).post(RequestBody.create(body, JSON))
                .header("Authorization", "Bearer " + token);
        if (key != null) {
            r.header("Idempotency-Key", key);
        }
        return Http.send(r.build());
    }

    private static String event(String namespace, String data) {
        return "{\"namespace\":\"" + namespace + "\",\"data\":\"" + data + "\"}";
    }

    /** The next event of each subscriber is {@code only}, and after it comes the marker, not a copy. */
    private static void assertDeliveredOnce(List<SseRecorder> subscribers, String only, String namespace) {
        String marker = cluster.publish(a, namespace, "marker");
        for (SseRecorder s : subscribers) {
            assertEquals(only, s.next().id());
            assertEquals(marker, s.next().id(), "the repeat published nothing");
        }
    }

    @Test
    void repeatOnAnotherInstancePublishesNothingAndIsAnsweredAsTheFirst() {
        List<SseRecorder> subscribers = List.of(cluster.subscribe(a, "/subscribe/once"), cluster.subscribe(b, "/subscribe/once"));
        String key = newKey();

        Http.Reply first = post(a, "/broadcast", key, event("/once", "paid"));
        Http.Reply repeat = post(b, "/broadcast", key, event("/once", "paid"));

        assertEquals(201, first.status(), first.body());
        assertNull(first.headers().get("Idempotent-Replayed"));
        assertEquals(201, repeat.status(), repeat.body());
        assertEquals("true", repeat.headers().get("Idempotent-Replayed"));
        assertEquals(Cluster.json(first.body()), Cluster.json(repeat.body()));
        assertDeliveredOnce(subscribers, Cluster.json(first.body()).get("id").asText(), "/once");
    }

    @Test
    void sameKeyWithAnotherRequestIsRefusedAsAMismatch() {
        String key = newKey();
        assertEquals(201, post(a, "/broadcast", key, event("/mismatch", "one")).status());

        Http.Reply other = post(b, "/broadcast", key, event("/mismatch", "two"));
        Http.Reply otherRoute = post(b, "/publish/mismatch", key, "one");

        assertEquals(422, other.status(), other.body());
        assertEquals("IDEMPOTENCY_KEY_MISMATCH", Cluster.json(other.body()).get("error").asText());
        assertEquals(422, otherRoute.status(), otherRoute.body());
    }

    @Test
    void malformedKeyIsABadRequestAndPublishesNothing() {
        for (String bad : List.of("", "has space", "x".repeat(129), "semi;colon")) {
            Http.Reply reply = post(a, "/broadcast", bad, event("/bad-key", "x"));
            assertEquals(400, reply.status(), bad + ": " + reply.body());
            assertEquals("INVALID_IDEMPOTENCY_KEY", Cluster.json(reply.body()).get("error").asText());
        }
        assertEquals(201, post(a, "/broadcast", "A-z_0.9:" + "k".repeat(120), event("/bad-key", "x")).status());
    }

    @Test
    void retriesRacingTheFirstOnBothInstancesPublishOneEvent() throws Exception {
        SseRecorder subscriber = cluster.subscribe(b, "/subscribe/race");
        String key = newKey();
        int racers = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Http.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            Gateway on = i % 2 == 0 ? a : b;
            replies.add(CompletableFuture.supplyAsync(() -> {
                await(go);
                return post(on, "/publish/race", key, "paid");
            }));
        }
        go.countDown();

        Set<String> ids = new HashSet<>();
        int firsts = 0;
        for (CompletableFuture<Http.Reply> f : replies) {
            Http.Reply r = f.get(20, TimeUnit.SECONDS);
            assertTrue(r.status() == 201 || r.status() == 409, r.status() + " " + r.body());
            if (r.status() == 201) {
                ids.add(Cluster.json(r.body()).get("id").asText());
                if (r.headers().get("Idempotent-Replayed") == null) {
                    firsts++;
                }
            } else {
                assertEquals("IDEMPOTENCY_KEY_IN_USE", Cluster.json(r.body()).get("error").asText());
            }
        }
        assertEquals(1, firsts, "exactly one request published");
        assertEquals(1, ids.size(), "every 201 names the same event: " + ids);
        assertDeliveredOnce(List.of(subscriber), ids.iterator().next(), "/race");
    }

    @Test
    void retryAfterAnUnknownOutcomeGetsTheEventThatWasPublishedNotASecondOne() {
        SseRecorder subscriber = cluster.subscribe(b, "/subscribe/unknown");
        String key = newKey();

        redisCli.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(PAUSE.toMillis()).add("WRITE"));
        Http.Reply first = post(a, "/broadcast", key, event("/unknown", "paid"));
        assertEquals(504, first.status(), first.body());
        // The pause ends and Redis runs the held script: the event was published after all.
        String published = subscriber.next().id();
        cluster.awaitReady();

        Http.Reply retry = post(b, "/broadcast", key, event("/unknown", "paid"));

        assertEquals(201, retry.status(), retry.body());
        assertEquals("true", retry.headers().get("Idempotent-Replayed"));
        assertEquals(published, Cluster.json(retry.body()).get("id").asText());
        String marker = cluster.publish(a, "/unknown", "marker");
        assertEquals(marker, subscriber.next().id(), "the retry published nothing");
    }

    @Test
    void batchRepeatGetsTheSameIdsInOrder() {
        String key = newKey();
        String batch = "[" + event("/batch/a", "1") + "," + event("/batch/b", "2") + "," + event("/batch/a", "3") + "]";

        Http.Reply first = post(a, "/broadcast", key, batch);
        Http.Reply repeat = post(b, "/broadcast", key, batch);

        assertEquals(201, first.status(), first.body());
        assertEquals(3, Cluster.json(first.body()).get("count").asInt());
        assertEquals(201, repeat.status(), repeat.body());
        assertEquals("true", repeat.headers().get("Idempotent-Replayed"));
        assertEquals(Cluster.json(first.body()), Cluster.json(repeat.body()));
    }

    @Test
    void keyRecordExpiresWithTheWindow() {
        String key = newKey();
        assertEquals(201, post(a, "/broadcast", key, event("/window", "x")).status());

        Set<String> records = new HashSet<>(redisCli.keys(cluster.prefix() + "@idem:*"));
        assertTrue(!records.isEmpty());
        for (String record : records) {
            long ttl = redisCli.pttl(record);
            assertTrue(ttl > 0 && ttl <= Duration.ofMinutes(5).toMillis(), record + " expires: " + ttl);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
