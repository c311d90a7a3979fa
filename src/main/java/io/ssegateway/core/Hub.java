package io.ssegateway.core;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Fans live events out to this instance's subscriptions and starts their resumes.
 *
 * <p>The broker calls {@link #onEvent} one event at a time; the hub finds the subscriptions that
 * want it in the {@link SubscriptionIndex}, groups them by the executor that owns their
 * connection, and hands each group one task. It never writes to a connection itself and never
 * blocks, so a slow client cannot hold up the broker's thread.
 */
public final class Hub implements BrokerListener {
    private static final System.Logger LOG = System.getLogger(Hub.class.getName());

    /**
     * @param replayLimit the most events one resume replays; beyond it the client gets a
     *     history gap and the newest events (a cap on how much history one request may walk)
     * @param holdLimit the most live events a subscription holds while its replay is read; a
     *     client that passes it is closed and resumes later, so memory stays bounded
     */
    public record Settings(int replayLimit, int holdLimit) {
        public static final Settings DEFAULTS = new Settings(10_000, 10_000);
    }

    private final Broker broker;
    private final Settings settings;
    private final SubscriptionIndex index = new SubscriptionIndex();
    private volatile EventId lastSeen;
    private volatile HubObserver observer = HubObserver.NONE;
    private long dispatchCount;

    public Hub(Broker broker, Settings settings) {
        this.broker = broker;
        this.settings = settings;
    }

    /** Connects to the broker. Live subscribers without a resume id start after the head. */
    public void start() {
        broker.listen(this);
        broker.head().whenComplete((head, error) -> {
            if (head != null) {
                synchronized (this) {
                    if (lastSeen == null) {
                        lastSeen = head;
                    }
                }
            }
        });
    }

    /** Registers the one observer of replay outcomes (metrics); replaces the previous one. */
    public void observe(HubObserver observer) {
        this.observer = observer;
    }

    Broker broker() {
        return broker;
    }

    HubObserver observer() {
        return observer;
    }

    int holdLimit() {
        return settings.holdLimit();
    }

    /**
     * Registers a subscription and, when {@code lastEventId} is given, starts its replay. Must
     * be called on {@code sink.executor()}.
     */
    public Subscription subscribe(List<Namespace> topics, Audience audience, String lastEventId, Sink sink) {
        if (topics.isEmpty()) {
            throw new GatewayException(Reason.INVALID_NAMESPACE, "a subscription needs a namespace");
        }
        Subscription s = new Subscription(this, topics, audience, sink, lastSeen);
        index.add(s);
        if (lastEventId != null) {
            s.beginResume(lastEventId, settings.replayLimit());
        }
        return s;
    }

    void unsubscribe(Subscription s) {
        index.remove(s);
    }

    public int subscriptionCount() {
        return index.size();
    }

    /** Live subscriptions by topic path, for status pages. */
    public Map<String, Integer> countsByTopic() {
        return index.countsByTopic();
    }

    public List<Subscription> subscriptions() {
        return index.all();
    }

    @Override
    public void onEvent(Event event) {
        Map<Executor, List<Subscription>> groups = new IdentityHashMap<>();
        synchronized (this) {
            EventId id = event.id();
            if (id != null) {
                EventId last = lastSeen;
                // An event published to several namespaces reaches us once per channel.
                if (last != null && id.sameEpoch(last) && !id.isAfter(last)) {
                    return;
                }
                lastSeen = id;
            }
            index.match(event, ++dispatchCount, s ->
                    groups.computeIfAbsent(s.sink().executor(), k -> new ArrayList<>()).add(s));
        }
        for (Map.Entry<Executor, List<Subscription>> group : groups.entrySet()) {
            List<Subscription> targets = group.getValue();
            try {
                group.getKey().execute(() -> {
                    for (Subscription s : targets) {
                        if (s.onLive(event)) {
                            s.sink().flush();
                        }
                    }
                });
            } catch (RuntimeException e) {
                // An executor that refuses work is shutting down; its connections go with it.
                LOG.log(Level.DEBUG, "executor refused fan-out: " + e);
            }
        }
    }

    @Override
    public void onResync() {
        LOG.log(Level.INFO, "event=resync subscriptions=" + index.size());
        for (Subscription s : index.all()) {
            try {
                s.sink().executor().execute(() -> s.resync(settings.replayLimit()));
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "executor refused resync: " + e);
            }
        }
    }

    /** The {@code history-gap} event: no id, so the client keeps the id it had. */
    Event gapEvent(Namespace topic, String given, EventId oldest) {
        String data = "{\"lastEventId\":" + Json.quote(given) + ",\"oldestRetainedId\":"
                + Json.quote(oldest == null ? null : oldest.toString()) + "}";
        return new Event(null, EventDraft.of(topic, "history-gap", data));
    }
}
