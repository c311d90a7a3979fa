package io.ssegateway.redis;

import io.lettuce.core.KillArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.ssegateway.core.BrokerListener;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.Namespace;
import io.ssegateway.testing.Await;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the link hands on after it lost its connection, and when it says to catch up. */
class PubSubLinkTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String PREFIX = "p:";

    @Test
    void afterAReconnectStoredEventsWaitForTheResyncWhichWaitsForAProbe() throws Exception {
        // A Redis of its own: CLIENT KILL TYPE pubsub would cut every subscriber of a shared one.
        RedisTesting.onOwnRedis((server, client) -> {
            try (StatefulRedisConnection<String, String> toolConnection = client.connect();
                 StatefulRedisConnection<String, String> commands = client.connect();
                 PubSubLink link = new PubSubLink(client.connectPubSub(StringCodec.UTF8), heldProbes(commands.async()),
                         new RedisKeys(PREFIX), RedisTesting.ENVELOPE, "test", RedisTesting.MAX_PAYLOAD, Duration.ofMillis(500))) {
                RedisCommands<String, String> tool = toolConnection.sync();
                Sequence seen = new Sequence();
                link.start(TIMEOUT);
                link.listen(seen);
                link.probe();
                Await.until(TIMEOUT, "the link to be live", link::isLive);
                tool.publish(PREFIX + "/a", stored(1));
                seen.await("1");

                probesHeld = true;
                tool.clientKill(KillArgs.Builder.typePubsub());
                // Raw events are not kept anywhere, so they pass at once: one arriving shows the link is back.
                Await.until(TIMEOUT, "the link to subscribe again", () -> {
                    tool.publish(PREFIX + "/a", "back");
                    return seen.items.contains("back");
                });
                tool.publish(PREFIX + "/a", stored(2));
                tool.publish(PREFIX + "/a", "after 2");
                seen.await("after 2");
                probesHeld = false;
                link.probe();
                seen.await("resync");
                tool.publish(PREFIX + "/a", stored(3));
                seen.await("3");

                assertEquals(List.of("1", "back", "after 2", "resync", "3"),
                        seen.items.stream().distinct().toList(), "2 is left to the catch-up from history");
            }
        });
    }

    private static volatile boolean probesHeld;

    /** The command connection, except that probes vanish while {@link #probesHeld}: Redis holds commands back. */
    @SuppressWarnings("unchecked")
    private static RedisAsyncCommands<String, String> heldProbes(RedisAsyncCommands<String, String> real) {
        return (RedisAsyncCommands<String, String>) Proxy.newProxyInstance(PubSubLinkTest.class.getClassLoader(),
                new Class<?>[] {RedisAsyncCommands.class}, (proxy, method, args) -> {
                    if (probesHeld && method.getName().equals("publish")) {
                        return null;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The envelope of a stored event whose data is its sequence number. */
    private static String stored(long seq) {
        EventDraft draft = EventDraft.of(Namespace.parse("/a"), "message", Long.toString(seq));
        return RedisTesting.ENVELOPE.encode(draft).with(new EventId("ep", 1000, seq));
    }

    /** What the listener heard, in order: each event's data, and {@code resync}. */
    private static final class Sequence implements BrokerListener {
        final List<String> items = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(Event event) {
            items.add(event.data());
        }

        @Override
        public void onResync() {
            items.add("resync");
        }

        void await(String item) {
            Await.until(TIMEOUT, item + " (seen " + items + ")", () -> items.contains(item));
        }
    }
}
