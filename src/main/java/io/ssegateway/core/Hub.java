package io.ssegateway.core;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/**
 * Fans live events out to this instance's subscriptions and starts their resumes.
 *
 * <p>The broker calls {@link #onEvent} one event at a time; the hub hands it to the
 * {@link Fanout} of each executor that owns subscriptions, one task each, and that executor
 * finds its own subscriptions that want it. The broker's thread does no per-subscriber work,
 * never writes to a connection and never blocks, so neither the number of clients nor a slow
 * one can hold it up.
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
    /** One fan-out per executor that has subscriptions; replaced, never changed, under the lock. */
    private volatile Fanout[] fanouts = new Fanout[0];
    private volatile EventId lastSeen;
    private volatile Metrics metrics = Metrics.NONE;

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

    /** Registers the one observer that hears of replay outcomes; replaces the previous one. */
    public void observe(Metrics metrics) {
        this.metrics = metrics;
    }

    Broker broker() {
        return broker;
    }

    Metrics metrics() {
        return metrics;
    }

    int holdLimit() {
        return settings.holdLimit();
    }

    /**
     * Registers a subscription and, when {@code lastEventId} is given, starts its replay. Must
     * be called on {@code sink.executor()}.
     */
    public Subscription subscribe(List<Namespace> topics, Audience audience, String lastEventId, Sink sink) {
        return subscribe(topics, audience, StartPoint.resume(lastEventId), sink);
    }

    /**
     * Registers a subscription and starts it where {@code start} says: from history first, with
     * the same handoff to live as a resume. Must be called on {@code sink.executor()}.
     */
    public Subscription subscribe(List<Namespace> topics, Audience audience, StartPoint start, Sink sink) {
        if (topics.isEmpty()) {
            throw new GatewayException(Reason.INVALID_NAMESPACE, "a subscription needs a namespace");
        }
        Subscription s;
        // Under the lock that orders events: the subscription starts after the last event
        // dispatched, and every later one reaches its fan-out.
        synchronized (this) {
            Fanout fanout = fanoutOf(sink.executor());
            s = new Subscription(this, topics, audience, sink, lastSeen);
            fanout.index().add(s);
        }
        s.begin(start, settings.replayLimit());
        return s;
    }

    private Fanout fanoutOf(Executor executor) {
        for (Fanout f : fanouts) {
            if (f.executor() == executor) {
                return f;
            }
        }
        Fanout f = new Fanout(executor);
        Fanout[] next = Arrays.copyOf(fanouts, fanouts.length + 1);
        next[fanouts.length] = f;
        fanouts = next;
        return f;
    }

    /** On the subscription's executor. An executor left without subscriptions is forgotten. */
    synchronized void unsubscribe(Subscription s) {
        Executor executor = s.sink().executor();
        Fanout[] all = fanouts;
        for (int i = 0; i < all.length; i++) {
            Fanout f = all[i];
            if (f.executor() == executor && f.index().remove(s) && f.index().size() == 0) {
                Fanout[] next = new Fanout[all.length - 1];
                System.arraycopy(all, 0, next, 0, i);
                System.arraycopy(all, i + 1, next, i, all.length - i - 1);
                fanouts = next;
                return;
            }
        }
    }

    public int subscriptionCount() {
        int n = 0;
        for (Fanout f : fanouts) {
            n += f.index().size();
        }
        return n;
    }

    /** Live subscriptions by topic path, for status pages. */
    public Map<String, Integer> countsByTopic() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Fanout f : fanouts) {
            f.index().countsByTopic().forEach((topic, n) -> counts.merge(topic, n, Integer::sum));
        }
        return counts;
    }

    public List<Subscription> subscriptions() {
        List<Subscription> all = new ArrayList<>();
        for (Fanout f : fanouts) {
            all.addAll(f.index().all());
        }
        return all;
    }

    @Override
    public void onEvent(Event event) {
        Fanout[] targets;
        synchronized (this) {
            EventId id = event.id();
            if (id != null) {
                EventId last = lastSeen;
                // An event published to several namespaces reaches us once per channel.
                if (id.isCoveredBy(last)) {
                    return;
                }
                lastSeen = id;
            }
            targets = fanouts;
        }
        for (Fanout f : targets) {
            try {
                f.executor().execute(() -> f.deliver(event));
            } catch (RuntimeException e) {
                // An executor that refuses work is shutting down; its connections go with it.
                LOG.log(Level.DEBUG, "executor refused fan-out: " + e);
            }
        }
    }

    @Override
    public void onResync() {
        LOG.log(Level.INFO, "event=resync subscriptions=" + subscriptionCount());
        for (Subscription s : subscriptions()) {
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
