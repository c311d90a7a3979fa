package io.ssegateway.redis;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.ssegateway.core.BrokerListener;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Replay;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.RecordingListener;
import io.ssegateway.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What only the Redis broker does: raw publishes, its wire and key forms, and surviving Redis trouble. */
class RedisBrokerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HistoryPolicy ROOMY = new HistoryPolicy(1000, Duration.ofHours(1));

    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisClient client;
    private String prefix;
    private RedisBroker broker;
    private RecordingListener listener;
    private RedisCommands<String, String> tool;


    @BeforeEach
    void openBroker() {
        client = RedisTesting.sharedClient();
        prefix = RedisServer.uniquePrefix();
        broker = open(RedisTesting.broker(client, prefix, ROOMY));
        listener = new RecordingListener();
        broker.listen(listener);
        // Another tool's connection to the same Redis.
        StatefulRedisConnection<String, String> connection = open(client.connect());
        tool = connection.sync();
        Await.until(TIMEOUT, "the broker to become healthy", broker::isHealthy);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(0, closeable);
        return closeable;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("broker call failed", e);
        }
    }

    private static Event publish(RedisBroker broker, String data, String... namespaces) {
        List<Namespace> ns = List.of(namespaces).stream().map(Namespace::parse).toList();
        return await(broker.publish(new EventDraft(ns, null, data, false, null)));
    }

    @Test
    void plainTextPublishedByAnotherToolIsAMessageEventWithoutId() {
        tool.publish(prefix + "/pets/cats", "Persian");

        Event e = listener.take(TIMEOUT);
        assertNull(e.id());
        assertEquals("message", e.type());
        assertEquals("Persian", e.data());
        assertEquals(List.of(Namespace.parse("/pets/cats")), e.namespaces());
    }

    @Test
    void sseFieldTextPublishedByAnotherToolIsReadAsFieldsAndItsIdDropped() {
        tool.publish(prefix + "/pets/cats", "event: new-cat\r\nid: 7\r\ndata: Persian\r\ndata: Siamese\r\nretry: 2500");

        Event e = listener.take(TIMEOUT);
        assertNull(e.id());
        assertEquals("new-cat", e.type());
        assertEquals("Persian\nSiamese", e.data());
        assertEquals(2500L, e.retry());
    }

    @Test
    void badChannelsTypesAndSizesAreDroppedAndTheLinkKeepsWorking() {
        tool.publish(prefix + "//empty-segment", "x");
        tool.publish(prefix + "/a/../b", "x");
        tool.publish(prefix + "/ok", "event: not a type\ndata: x");
        tool.publish(prefix + "/ok", "\u001e{\"v\":1,\"id\":\"forged\"}");
        tool.publish(prefix + "/ok", "x".repeat(RedisTesting.MAX_PAYLOAD + 1));
        tool.publish(prefix + "/ok", "fine");

        assertEquals("fine", listener.take(TIMEOUT).data());
        listener.assertNoMoreEvents();
        assertTrue(broker.isHealthy());
    }

    @Test
    void channelCarriesTheEnvelopeAndTheStreamReadableFields() {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        StatefulRedisPubSubConnection<String, String> subscriber = open(client.connectPubSub());
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                received.add(message);
            }
        });
        subscriber.sync().subscribe(prefix + "/pets/cats");
        EventDraft draft = new EventDraft(List.of(Namespace.parse("/pets/cats")), "new-cat", "Persian", true, "u-1");

        Event event = await(broker.publish(draft));

        String message = Await.value(TIMEOUT, "the envelope", received::poll);
        assertEquals(RedisTesting.ENVELOPE.encode(draft).with(event.id()), message);
        List<StreamMessage<String, String>> stored = tool.xrange(prefix + "@history:/pets/cats", io.lettuce.core.Range.create("-", "+"));
        assertEquals(1, stored.size());
        assertEquals(event.id().position(), stored.get(0).getId());
        assertEquals(Map.of("type", "new-cat", "data", "Persian", "ns", "/pets/cats", "private", "1", "user", "u-1"),
                stored.get(0).getBody());
        assertEquals(event.id().epoch(), tool.get(prefix + "@epoch"));
        assertEquals(List.of("/pets/cats"), tool.zrange(prefix + "@ns", 0, -1));
        assertTrue(tool.pttl(prefix + "@history:/pets/cats") > 0, "an idle history expires whole");
    }

    @Test
    void killedPubSubConnectionIsCaughtUpFromHistoryWithNothingLost() throws Exception {
        // A Redis of its own: CLIENT KILL TYPE pubsub would cut every subscriber of a shared one.
        RedisTesting.onOwnRedis((server, own) -> {
            try (RedisBroker b = RedisTesting.broker(own, ROOMY); StatefulRedisConnection<String, String> admin = own.connect()) {
                CatchingUp hub = new CatchingUp(b);
                b.listen(hub);
                List<EventId> published = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    published.add(publish(b, "e" + i, i % 2 == 0 ? "/a" : "/b").id());
                    if (i == 100) {
                        admin.sync().clientKill(KillArgs.Builder.typePubsub());
                    }
                }

                Await.until(TIMEOUT, "every event, live or caught up", () -> hub.seen.containsAll(published));
                assertTrue(hub.resyncs.get() >= 1, "the listener was told to resync");
                assertTrue(hub.live.size() < published.size(), "some events were published while the link was down");
                assertFalse(hub.gap, "nothing was missing from history");
            }
        });
    }

    /** Catches up as the hub does: on a resync, replays after the last event it saw. */
    private static final class CatchingUp implements BrokerListener {
        final RedisBroker broker;
        final Set<EventId> seen = ConcurrentHashMap.newKeySet();
        final Set<EventId> live = ConcurrentHashMap.newKeySet();
        final AtomicInteger resyncs = new AtomicInteger();
        volatile EventId last;
        volatile boolean gap;

        CatchingUp(RedisBroker broker) {
            this.broker = broker;
        }

        @Override
        public void onEvent(Event event) {
            live.add(event.id());
            seen.add(event.id());
            last = event.id();
        }

        @Override
        public void onResync() {
            resyncs.incrementAndGet();
            broker.replay(List.of(Namespace.ROOT), last, 10_000).thenAccept(r -> {
                gap |= r.gap();
                r.events().forEach(e -> seen.add(e.id()));
            });
        }
    }

    @Test
    void silentLinkIsUnhealthyUntilItsProbeReturnsAndThenResyncs() throws Exception {
        RedisTesting.onOwnRedis((server, own) -> {
            try (RedisBroker b = RedisTesting.broker(own, ROOMY); StatefulRedisConnection<String, String> admin = own.connect()) {
                RecordingListener recorder = new RecordingListener();
                b.listen(recorder);
                Await.until(TIMEOUT, "healthy", b::isHealthy);

                admin.sync().clientPause(1500);

                Await.until(TIMEOUT, "the silent link to be noticed", () -> !b.isHealthy());
                Await.until(TIMEOUT, "the link to be healthy again", b::isHealthy);
                Await.until(TIMEOUT, "a resync", () -> recorder.resyncs() >= 1);
            }
        });
    }

    @Test
    void stoppedRedisFailsPublishesAtOnceAndTheBrokerRecoversByItself() throws Exception {
        RedisTesting.onOwnRedis((server, own) -> {
            try (RedisBroker b = RedisTesting.broker(own, ROOMY)) {
                Await.until(TIMEOUT, "healthy", b::isHealthy);
                Event before = publish(b, "before", "/a");

                server.stop();
                Await.until(TIMEOUT, "unhealthy", () -> !b.isHealthy());
                long start = System.nanoTime();
                CompletableFuture<Event> refused = b.publish(EventDraft.of(Namespace.parse("/a"), null, "lost"));
                assertThrows(ExecutionException.class, () -> refused.get(1, TimeUnit.SECONDS));
                assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500), "failed fast");

                server.start();
                Await.until(TIMEOUT, "healthy again", b::isHealthy);
                Event after = publish(b, "after", "/a");
                assertNotEquals(before.id().epoch(), after.id().epoch(), "a restarted Redis is a new history");
                assertGapThenOnly(b, before.id(), after);
            }
        });
    }

    @Test
    void flushedRedisMakesAnOldIdAGap() throws Exception {
        RedisTesting.onOwnRedis((server, own) -> {
            try (RedisBroker b = RedisTesting.broker(own, ROOMY); StatefulRedisConnection<String, String> admin = own.connect()) {
                Event old = publish(b, "old", "/a");

                admin.sync().flushall();
                assertTrue(await(b.replay(List.of(Namespace.ROOT), old.id(), 100)).gap());
                assertNull(await(b.head()));

                Event fresh = publish(b, "fresh", "/a");
                assertGapThenOnly(b, old.id(), fresh);
            }
        });
    }

    private static void assertGapThenOnly(RedisBroker b, EventId after, Event only) {
        Replay resume = await(b.replay(List.of(Namespace.ROOT), after, 100));
        assertTrue(resume.gap());
        assertEquals(List.of(only.id()), resume.events().stream().map(Event::id).toList());
    }

    @Test
    void lostEpochStartsANewHistoryWithoutTheOldEntries() {
        Event old = publish(broker, "old", "/a");
        tool.del(prefix + "@epoch");

        Event fresh = publish(broker, "fresh", "/a");

        assertNotEquals(old.id().epoch(), fresh.id().epoch());
        assertGapThenOnly(broker, old.id(), fresh);
    }

    @Test
    void idsKeepIncreasingWhenTheStoredClockIsAhead() {
        Event first = publish(broker, "1", "/a");
        long ahead = first.id().millis() + 60_000;
        tool.set(prefix + "@millis", Long.toString(ahead));

        Event second = publish(broker, "2", "/b");

        assertEquals(ahead, second.id().millis());
        assertTrue(second.id().isAfter(first.id()));
    }

    @Test
    void expiredNamespacesLeaveTheIndex() {
        RedisBroker shortLived = open(RedisTesting.broker(client, prefix + "short:", new HistoryPolicy(10, Duration.ofMillis(200))));
        publish(shortLived, "x", "/gone");
        assertEquals(List.of("/gone"), tool.zrange(prefix + "short:@ns", 0, -1));

        Await.until(TIMEOUT, "the sweep", () -> tool.zrange(prefix + "short:@ns", 0, -1).isEmpty());
    }
}
