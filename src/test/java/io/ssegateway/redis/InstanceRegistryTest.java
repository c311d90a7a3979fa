package io.ssegateway.redis;

import io.lettuce.core.RedisClient;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.core.InstanceInfo;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Two instances sharing one Redis see each other's counts. */
class InstanceRegistryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private RedisBroker brokerA;
    private RedisBroker brokerB;
    private InstanceRegistry a;
    private InstanceRegistry b;


    @BeforeEach
    void startTwoInstances() {
        String prefix = RedisServer.uniquePrefix();
        RedisClient client = RedisTesting.sharedClient();
        HistoryPolicy policy = HistoryPolicy.DEFAULTS;
        brokerA = RedisTesting.broker(client, prefix, policy);
        brokerB = RedisTesting.broker(client, prefix, policy);
        a = new InstanceRegistry(brokerA, RedisTesting.JSON, "a", RedisTesting.FAST.heartbeat());
        b = new InstanceRegistry(brokerB, RedisTesting.JSON, "b", RedisTesting.FAST.heartbeat());
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        brokerA.close();
        brokerB.close();
    }

    private static InstanceInfo seen(InstanceRegistry from, String id) {
        return from.instances().stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
    }

    @Test
    void everyInstanceSeesEveryLiveInstanceItselfFirst() {
        Await.until(TIMEOUT, "a to see b", () -> seen(a, "b") != null);
        Await.until(TIMEOUT, "b to see a", () -> seen(b, "a") != null);
        assertEquals("a", a.instances().get(0).id());
        assertEquals(2, a.instances().size());
    }

    @Test
    void countChangesReachTheOtherInstanceAndItsListeners() {
        AtomicInteger changes = new AtomicInteger();
        a.onChange(changes::incrementAndGet);
        Await.until(TIMEOUT, "a to see b", () -> seen(a, "b") != null);

        b.report(5);
        a.report(2);

        Await.until(TIMEOUT, "b's count at a", () -> new InstanceInfo("b", 5).equals(seen(a, "b")));
        Await.until(TIMEOUT, "a's count at b", () -> new InstanceInfo("a", 2).equals(seen(b, "a")));
        assertEquals(7, a.totalStreams());
        assertEquals(7, b.totalStreams());
        Await.until(TIMEOUT, "a's listener", () -> changes.get() >= 2);
    }

    @Test
    void reportsKeepTheFormOlderInstancesWriteAndRead() throws Exception {
        a.report(3);
        RedisKeys keys = brokerA.keys();
        Await.until(TIMEOUT, "a's stored report", () -> "{\"id\":\"a\",\"streams\":3}".equals(stored(keys.instance("a"))));

        // An instance of the previous release: its entry and report, then its goodbye, as it wrote them.
        brokerA.commands().zadd(keys.instances(), System.currentTimeMillis() + 60_000, "c").get();
        brokerA.commands().set(keys.instance("c"), "{\"id\":\"c\",\"streams\":4}").get();
        Await.until(TIMEOUT, "c's report at b", () -> new InstanceInfo("c", 4).equals(seen(b, "c")));
        brokerA.commands().publish(keys.countsChannel(), "{\"id\":\"c\",\"gone\":true}").get();
        brokerA.commands().del(keys.instance("c")).get();
        brokerA.commands().zrem(keys.instances(), "c").get();
        Await.until(TIMEOUT, "c gone at b", () -> seen(b, "c") == null);
    }

    private String stored(String key) {
        try {
            return brokerA.commands().get(key).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void closedInstanceLeavesAtOnce() {
        Await.until(TIMEOUT, "a to see b", () -> seen(a, "b") != null);

        b.close();

        Await.until(TIMEOUT, "b to be gone", () -> seen(a, "b") == null);
        assertEquals(List.of("a"), a.instances().stream().map(InstanceInfo::id).toList());
    }

    @Test
    void instanceThatStopsRenewingExpires() {
        Await.until(TIMEOUT, "a to see b", () -> seen(a, "b") != null);

        // A crash: no goodbye, the heartbeats just stop.
        brokerB.close();

        Await.until(TIMEOUT, "b's entry to expire", () -> seen(a, "b") == null);
        assertNull(seen(a, "b"));
    }
}
