package io.ssegateway.cluster;

import io.ssegateway.testing.JsonTree;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Several gateway instances in one JVM on one Redis, as a load balancer would see them: the same
 * key prefix and JWT secret, each on its own HTTP port. Instances are named {@code a}, {@code b},
 * {@code c}… (their {@code sse.instance-id}).
 */
final class Cluster implements AutoCloseable {

    private final String prefix;
    private final List<Gateway> instances;
    private final String publisherToken;
    private final List<SseRecorder> streams = new ArrayList<>();

    private Cluster(String prefix, List<Gateway> instances) {
        this.prefix = prefix;
        this.instances = instances;
        this.publisherToken = TestTokens.publisher(instances.get(0));
    }

    /**
     * Starts {@code size} instances on {@code redis} under a prefix of their own, with fast probes
     * and a short drain period so that tests and shutdown stay quick; {@code extra} overrides,
     * and {@code firstOnly} adds to the first instance's settings (a port of its own, say).
     */
    static Cluster start(int size, RedisServer redis, Map<String, Object> extra, Map<String, Object> firstOnly) {
        return start(size, redis.uri(), extra, firstOnly);
    }

    /** As above, on the Redis at {@code redisUri} (any form {@code REDIS_URI} takes). */
    static Cluster start(int size, String redisUri, Map<String, Object> extra, Map<String, Object> firstOnly) {
        String prefix = RedisServer.uniquePrefix();
        List<CompletableFuture<Gateway>> starting = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Map<String, Object> props = new HashMap<>();
            props.put("redis.uri", redisUri);
            props.put("sse.channel-prefix", prefix);
            props.put("jwt.secret", TestTokens.SECRET);
            props.put("sse.instance-id", String.valueOf((char) ('a' + i)));
            props.put("sse.drain-period", "200ms");
            props.put("sse.redis.probe-interval", "200ms");
            props.put("sse.redis.probe-timeout", "1s");
            props.put("sse.redis.heartbeat", "1s");
            props.putAll(extra);
            if (i == 0) {
                props.putAll(firstOnly);
            }
            starting.add(CompletableFuture.supplyAsync(() -> Gateway.start(props)));
        }
        List<Gateway> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<Gateway> s : starting) {
            try {
                started.add(s.join());
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            started.forEach(Gateway::close);
            throw failure;
        }
        Cluster cluster = new Cluster(prefix, started);
        cluster.awaitReady();
        return cluster;
    }

    /**
     * {@code size} instances over the Redis servers {@code shards} ({@code sse.redis.shards});
     * {@code redis.uri} names the first one too, which the shard list replaces.
     */
    static Cluster startSharded(int size, RedisServer... shards) {
        String list = String.join(",", java.util.Arrays.stream(shards).map(RedisServer::uri).toList());
        return start(size, shards[0].uri(), Map.of("sse.redis.shards", list), Map.of());
    }

    static Cluster start(int size, RedisServer redis, Map<String, Object> extra) {
        return start(size, redis, extra, Map.of());
    }

    static Cluster start(int size, RedisServer redis) {
        return start(size, redis, Map.of());
    }

    String prefix() {
        return prefix;
    }

    Gateway get(int index) {
        return instances.get(index);
    }

    List<Gateway> instances() {
        return instances;
    }

    /** Waits until every instance answers readiness with 200: its pub/sub link is proven. */
    void awaitReady() {
        for (Gateway g : instances) {
            Await.until(Await.TIMEOUT, "readiness of " + g.url("/"), () -> readiness(g) == 200);
        }
    }

    static int readiness(Gateway g) {
        return Http.get(g.url("/health/readiness"), null).status();
    }

    /** {@code POST /broadcast} on {@code on}; the raw reply. */
    Http.Reply broadcast(Gateway on, String json) {
        return Http.postJson(on.url("/broadcast"), publisherToken, json);
    }

    /** Publishes {@code data} to {@code namespace} through {@code on}'s HTTP API; returns the id. */
    String publish(Gateway on, String namespace, String data) {
        return publishJson(on, "{\"namespace\":\"" + namespace + "\",\"data\":\"" + data + "\"}");
    }

    /** Publishes one event given as JSON through {@code on}'s HTTP API; returns the id. */
    String publishJson(Gateway on, String json) {
        Http.Reply reply = broadcast(on, json);
        assertEquals(201, reply.status(), reply.body());
        return json(reply.body()).get("id").asText();
    }

    /**
     * A subscriber on {@code on} whose stream is open (so registered for live events); closed by
     * {@link #closeStreams()} if not before.
     */
    SseRecorder subscribe(Gateway on, String pathAndQuery, String lastEventId) {
        SseRecorder r = SseRecorder.open(on.url(pathAndQuery), lastEventId);
        streams.add(r);
        assertEquals(200, r.awaitOpen().code());
        return r;
    }

    SseRecorder subscribe(Gateway on, String pathAndQuery) {
        return subscribe(on, pathAndQuery, null);
    }

    /** Closes every stream opened by {@link #subscribe}: after each test, so the next starts clean. */
    void closeStreams() {
        streams.forEach(SseRecorder::close);
        streams.clear();
    }

    static List<String> ids(List<SseRecorder.Received> received) {
        return received.stream().map(SseRecorder.Received::id).toList();
    }

    static JsonTree json(String text) {
        return JsonTree.parse(text);
    }

    @Override
    public void close() {
        closeStreams();
        instances.forEach(Gateway::close);
    }
}
