package io.ssegateway.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.ssegateway.core.BrokerListener;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventId;
import io.ssegateway.core.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * This instance's one live link to Redis: a pattern subscription to every namespace channel
 * ({@code P/*}) on a dedicated pub/sub connection, plus the probe and counts channels.
 *
 * <p>Lettuce calls back on the connection's event-loop thread, one message at a time; the link
 * decodes there and hands each event to the {@link BrokerListener}, which must not block.
 *
 * <p>Gaps in live delivery. After a reconnect Lettuce subscribes again, but what was published
 * meanwhile is gone; a link can also stay open and carry nothing (a half-dead TCP connection).
 * So the link publishes a probe to itself every interval: it is live only while subscribed and
 * a probe sent since it last subscribed came back within the timeout. When it becomes live again
 * after either kind of interruption, it tells the listener to resync, and subscriptions catch
 * up from history.
 *
 * <p>The resync waits for a probe to return, not just for the subscription to be back: the probe
 * travels over the command connection, which the catch-up reads use. That connection reconnects
 * on its own schedule, and Redis may still hold commands back (a failover pauses writes and
 * scripts); a catch-up read that failed then would close every stream of the instance. Until
 * the resync, stored events that arrive are not handed on: a subscription that received one
 * would count itself past the events it missed, and catch up from there. They are in history,
 * and the catch-up reads them ({@link ResyncHandoff} says which are kept instead). Raw events,
 * which history does not keep, still pass.
 */
final class PubSubLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PubSubLink.class);

    private final StatefulRedisPubSubConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> commands;
    private final RedisKeys keys;
    private final String probeChannel;
    private final int maxPayload;
    private final long probeTimeoutNanos;

    private final ResyncHandoff handoff = new ResyncHandoff();
    private final AtomicBoolean subscribedBefore = new AtomicBoolean();
    private final AtomicBoolean resyncing = new AtomicBoolean();
    private volatile boolean subscribed;
    private volatile boolean everLive;
    private final Envelope envelope;
    private volatile boolean closed;
    private volatile long lastProbeNanos;
    private volatile BrokerListener listener;
    private volatile Consumer<String> countsHandler = message -> { };
    private volatile BooleanSupplier catchUpReady = () -> true;
    private volatile FailoverGuard guard;
    /** The last stored event handed on: an event of several namespaces arrives once per channel. */
    private volatile EventId lastEvent;

    /**
     * @param commands the command connection, on which the probes are sent
     * @param maxPayload raw payloads larger than this (UTF-8 bytes) are dropped, as the
     *     gateway's own publish path would refuse them
     */
    PubSubLink(StatefulRedisPubSubConnection<String, String> connection, RedisAsyncCommands<String, String> commands,
               RedisKeys keys, Envelope envelope, String linkId, int maxPayload, Duration probeTimeout) {
        this.connection = connection;
        this.envelope = envelope;
        this.commands = commands;
        this.keys = keys;
        this.probeChannel = keys.probeChannel(linkId);
        this.maxPayload = maxPayload;
        this.probeTimeoutNanos = probeTimeout.toNanos();
        this.lastProbeNanos = System.nanoTime() - probeTimeoutNanos;
    }

    /** Subscribes, waiting at most {@code timeout} for Redis to confirm. */
    void start(Duration timeout) throws Exception {
        connection.addListener(new Callbacks());
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                subscribed = false;
                // A probe from before proves nothing about the connection that replaces this one.
                lastProbeNanos = System.nanoTime() - probeTimeoutNanos;
                if (subscribedBefore.get()) {
                    handoff.need();
                }
                if (!closed) {
                    LOG.warn("event=pubsub-disconnected");
                }
            }
        });
        connection.async().subscribe(probeChannel, keys.countsChannel()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        connection.async().psubscribe(keys.pattern()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void listen(BrokerListener listener) {
        this.listener = listener;
    }

    /**
     * What else a catch-up needs before it starts: the replay connection, which reconnects on its
     * own schedule, must be open too, or every catch-up read fails and closes its stream.
     */
    void catchUpNeeds(BooleanSupplier ready) {
        this.catchUpReady = ready;
    }

    /** Checked before every resync, and told of every stored event and of any that goes back. */
    void guard(FailoverGuard guard) {
        this.guard = guard;
    }

    void onCounts(Consumer<String> handler) {
        this.countsHandler = handler;
    }

    /** Sends a probe and notes a silent link. Called every probe interval. */
    void probe() {
        if (everLive && !probeFresh() && !handoff.need()) {
            LOG.warn("event=pubsub-silent");
        }
        commands.publish(probeChannel, "probe");
    }

    /** Subscribed, and a probe came back within the timeout. */
    boolean isLive() {
        return subscribed && probeFresh() && connection.isOpen();
    }

    private boolean probeFresh() {
        return System.nanoTime() - lastProbeNanos < probeTimeoutNanos;
    }

    private void resyncIfNeeded() {
        BrokerListener l = listener;
        if (l == null || !subscribed || !catchUpReady.getAsBoolean() || !handoff.needed()
                || !resyncing.compareAndSet(false, true)) {
            return;
        }
        FailoverGuard g = guard;
        // The guard first: after a lossy failover the catch-up reads must already see the ended
        // epoch and answer history-gap. Stored events stay held meanwhile, and flow again only
        // once the catch-up is queued, so that none of them (a new epoch's) overtakes it.
        CompletableFuture<Boolean> checked = g == null ? CompletableFuture.completedFuture(false) : g.check();
        checked.whenComplete((ended, error) -> {
            handoff.resync(() -> resync(l), event -> deliver(l, event));
            resyncing.set(false);
        });
    }

    private static void resync(BrokerListener l) {
        LOG.info("event=pubsub-resync");
        try {
            l.onResync();
        } catch (RuntimeException e) {
            LOG.error("event=listener-failed call=onResync", e);
        }
    }

    private void onNamespaceMessage(String channel, String payload) {
        BrokerListener l = listener;
        if (l == null) {
            return;
        }
        if (Envelope.isEnvelope(payload)) {
            Event event;
            try {
                event = envelope.decode(payload);
            } catch (RuntimeException e) {
                LOG.warn("event=envelope-dropped channel={} reason=\"{}\"", channel, e.getMessage());
                return;
            }
            EventId last = lastEvent;
            FailoverGuard g = guard;
            if (g != null && last != null && event.id().sameEpoch(last) && event.id().seq() < last.seq()) {
                // Redis gave out a sequence it had given before: it went back (a lossy failover).
                // Hold stored events until the epoch is ended, then catch up, which says history-gap.
                lastEvent = event.id();
                handoff.need();
                g.regressed(event.id()).whenComplete((ended, error) -> resyncIfNeeded());
                return;
            }
            if (last != null && event.id().sameEpoch(last) && !event.id().isAfter(last)) {
                return;
            }
            lastEvent = event.id();
            if (g != null) {
                g.saw(event.id());
            }
            handoff.offer(event, e -> deliver(l, e));
            return;
        }
        if ((long) payload.length() * 3 > maxPayload && payload.getBytes(StandardCharsets.UTF_8).length > maxPayload) {
            LOG.warn("event=raw-dropped channel={} reason=PAYLOAD_TOO_LARGE", channel);
            return;
        }
        Namespace namespace;
        try {
            namespace = keys.namespaceOf(channel);
        } catch (RuntimeException e) {
            LOG.warn("event=raw-dropped channel={} reason=INVALID_NAMESPACE", channel);
            return;
        }
        for (Event event : RawPayload.events(namespace, payload)) {
            deliver(l, event);
        }
    }

    private static void deliver(BrokerListener l, Event event) {
        try {
            l.onEvent(event);
        } catch (RuntimeException e) {
            LOG.error("event=listener-failed call=onEvent id={}", event.id(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        connection.close();
    }

    /** Lettuce's callbacks, all on the connection's event-loop thread. */
    private final class Callbacks extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String pattern, String channel, String message) {
            onNamespaceMessage(channel, message);
        }

        @Override
        public void message(String channel, String message) {
            if (channel.equals(probeChannel)) {
                lastProbeNanos = System.nanoTime();
                everLive = true;
                resyncIfNeeded();
            } else if (channel.equals(keys.countsChannel())) {
                try {
                    countsHandler.accept(message);
                } catch (RuntimeException e) {
                    LOG.warn("event=counts-dropped reason=\"{}\"", e.getMessage());
                }
            }
        }

        @Override
        public void psubscribed(String pattern, long count) {
            subscribed = true;
            if (subscribedBefore.getAndSet(true)) {
                // Lettuce subscribed again after a reconnect: what was published meanwhile is lost.
                // The catch-up starts when this probe (or a later one) comes back.
                handoff.need();
                probe();
            }
        }
    }
}
