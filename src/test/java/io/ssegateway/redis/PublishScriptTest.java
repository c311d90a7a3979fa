package io.ssegateway.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Replay;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retention that {@code publish.lua} keeps, read back from the keys: the count bound exact,
 * the age bound, and the horizon (the newest entry trimmed) that replay turns into a gap.
 */
class PublishScriptTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_LENGTH = 5;

    private RedisClient client;
    private String prefix;
    private RedisBroker broker;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> tool;

    @BeforeEach
    void open() {
        client = RedisTesting.sharedClient();
        prefix = RedisServer.uniquePrefix();
        broker = RedisTesting.broker(client, prefix, new HistoryPolicy(MAX_LENGTH, Duration.ofHours(1)));
        connection = client.connect();
        tool = connection.sync();
        Await.until(TIMEOUT, "the broker to become healthy", broker::isHealthy);
    }

    @AfterEach
    void close() {
        connection.close();
        broker.close();
    }

    private Event publish(String data, String namespace) {
        try {
            return broker.publish(new EventDraft(List.of(Namespace.parse(namespace)), null, data, false, null))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("publish failed", e);
        }
    }

    private List<String> positions(String namespace) {
        return tool.xrange(prefix + "@history:" + namespace, io.lettuce.core.Range.create("-", "+"))
                .stream().map(StreamMessage::getId).toList();
    }

    @Test
    void countBoundKeepsExactlyTheNewestAndRecordsTheNewestDroppedAsHorizon() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < MAX_LENGTH; i++) {
            events.add(publish("e" + i, "/count"));
        }
        assertNull(tool.get(prefix + "@trimmed:/count"), "nothing trimmed yet");

        for (int i = MAX_LENGTH; i < MAX_LENGTH + 3; i++) {
            events.add(publish("e" + i, "/count"));
        }

        assertEquals(events.subList(3, MAX_LENGTH + 3).stream().map(e -> e.id().position()).toList(), positions("/count"));
        assertEquals(events.get(2).id().position(), tool.get(prefix + "@trimmed:/count"));
        long ttl = tool.pttl(prefix + "@trimmed:/count");
        assertTrue(ttl > 0 && ttl <= Duration.ofHours(1).toMillis(), "the horizon expires with the age bound: " + ttl);
        Replay fromTrimmed = await(broker.replay(List.of(Namespace.parse("/count")), events.get(1).id(), 100));
        assertTrue(fromTrimmed.gap(), "a resume from before the horizon is a gap");
        Replay fromHorizon = await(broker.replay(List.of(Namespace.parse("/count")), events.get(2).id(), 100));
        assertFalse(fromHorizon.gap(), "a resume from the horizon itself misses nothing");
    }

    @Test
    void ageBoundDropsOnlyExpiredEntriesAndRecordsTheNewestOfThemAsHorizon() {
        Event first = publish("first", "/age");
        String stream = prefix + "@history:/age";
        // Entries as if published two hours ago, older than the age bound, before the first one.
        tool.del(stream);
        long old = first.id().millis() - Duration.ofHours(2).toMillis();
        tool.xadd(stream, new io.lettuce.core.XAddArgs().id(old + "-1"), "type", "message", "data", "old1", "ns", "/age");
        tool.xadd(stream, new io.lettuce.core.XAddArgs().id(old + "-2"), "type", "message", "data", "old2", "ns", "/age");
        tool.xadd(stream, new io.lettuce.core.XAddArgs().id(first.id().position()), "type", "message", "data", "first", "ns", "/age");

        Event next = publish("next", "/age");

        assertEquals(List.of(first.id().position(), next.id().position()), positions("/age"));
        assertEquals(old + "-2", tool.get(prefix + "@trimmed:/age"));
    }

    @Test
    void ageCheckWithNothingPastTheBoundTrimsNothingAndRecordsNoHorizon() {
        List<Event> events = publishAll(MAX_LENGTH, "/fresh");

        assertEquals(events.stream().map(e -> e.id().position()).toList(), positions("/fresh"));
        assertNull(tool.get(prefix + "@trimmed:/fresh"), "nothing was trimmed, so there is no horizon");
    }

    @Test
    void countTrimOfTheOnlyExpiredEntryKeepsTheBoundAndMakesThatEntryTheHorizon() {
        List<Event> fresh = publishAll(MAX_LENGTH - 1, "/edge");
        long old = fresh.get(0).id().millis() - Duration.ofHours(2).toMillis();
        rebuild("/edge", List.of(old + "-1"), fresh);

        Event next = publish("next", "/edge");

        assertEquals(positionsOf(fresh, next), positions("/edge"), "the count bound dropped the expired entry, nothing else");
        assertEquals(old + "-1", tool.get(prefix + "@trimmed:/edge"));
    }

    @Test
    void countAndAgeTrimInOnePublishRecordTheNewestEntryEitherDropped() {
        List<Event> fresh = publishAll(MAX_LENGTH - 2, "/both");
        long old = fresh.get(0).id().millis() - Duration.ofHours(2).toMillis();
        rebuild("/both", List.of(old + "-1", old + "-2"), fresh);

        Event next = publish("next", "/both");

        assertEquals(positionsOf(fresh, next), positions("/both"), "the count bound dropped one expired entry, the age bound the other");
        assertEquals(old + "-2", tool.get(prefix + "@trimmed:/both"));
        Replay fromFirstFresh = await(broker.replay(List.of(Namespace.parse("/both")), fresh.get(0).id(), 100));
        assertFalse(fromFirstFresh.gap(), "nothing after the horizon was lost");
    }

    private List<Event> publishAll(int count, String namespace) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(publish("e" + i, namespace));
        }
        return events;
    }

    private static List<String> positionsOf(List<Event> events, Event last) {
        List<String> all = new ArrayList<>(events.stream().map(e -> e.id().position()).toList());
        all.add(last.id().position());
        return all;
    }

    /** Replaces a namespace's stream by entries at {@code expired} positions followed by {@code kept}. */
    private void rebuild(String namespace, List<String> expired, List<Event> kept) {
        String stream = prefix + "@history:" + namespace;
        tool.del(stream);
        for (String position : expired) {
            tool.xadd(stream, new io.lettuce.core.XAddArgs().id(position), "type", "message", "data", "old", "ns", namespace);
        }
        for (Event e : kept) {
            tool.xadd(stream, new io.lettuce.core.XAddArgs().id(e.id().position()), "type", "message", "data", "kept", "ns", namespace);
        }
    }

    @Test
    void eventOfSeveralNamespacesIsBoundedInEach() {
        for (int i = 0; i < MAX_LENGTH + 2; i++) {
            publish("a" + i, "/multi/a");
        }
        Event both = broker.publish(new EventDraft(List.of(Namespace.parse("/multi/a"), Namespace.parse("/multi/b")),
                null, "both", false, null)).join();

        assertEquals(MAX_LENGTH, positions("/multi/a").size());
        assertEquals(List.of(both.id().position()), positions("/multi/b"));
        assertNull(tool.get(prefix + "@trimmed:/multi/b"));
        assertEquals(List.of("/multi/a", "/multi/b"), tool.zrange(prefix + "@ns", 0, -1));
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("broker call failed", e);
        }
    }
}
