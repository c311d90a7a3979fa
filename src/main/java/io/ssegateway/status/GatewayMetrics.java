package io.ssegateway.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ssegateway.core.Broker;
import io.ssegateway.core.Event;
import io.ssegateway.core.Hub;
import io.ssegateway.core.Metrics;
import io.ssegateway.core.Publisher;
import io.ssegateway.egress.Connections;
import io.ssegateway.egress.Drain;
import io.ssegateway.egress.SseRoute;
import io.ssegateway.egress.TransientRefusal;
import io.micronaut.context.annotation.Context;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own series on {@code /prometheus}, next to Micronaut's JVM and HTTP ones, and
 * the one implementation of the core's {@link Metrics} observer: the publisher, the hub and
 * the stream registry tell it what happens as it happens, so the core stays free of
 * Micrometer. Made at start-up, so it observes before the first publish or stream. Not a
 * {@code MeterBinder}: the registry's binders are made with the registry, which the Redis
 * client needs, so a binder that needs the broker would depend on itself.
 */
@Context
public class GatewayMetrics implements Metrics {
    /** Buckets of the publish latency histogram: a local publish takes microseconds, Redis milliseconds. */
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
            Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2)};

    private final MeterRegistry registry;
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> openByRoute = new ConcurrentHashMap<>();
    private final Counter opened;
    private final Counter delivered;
    private final Counter slow;
    private final ReplayMeters replays;

    public GatewayMetrics(MeterRegistry registry, Connections connections, Publisher publisher, Hub hub, Broker broker,
                          Drain drain, List<SseRoute> routes, TransientRefusal refusal) {
        this.registry = registry;
        for (SseRoute route : routes) {
            Gauge.builder("sse.connections", open(route.name()), AtomicInteger::get)
                    .tag("endpoint", route.name())
                    .description("Open SSE streams, by endpoint")
                    .register(registry);
        }
        opened = Counter.builder("sse.connections.opened")
                .description("SSE streams opened since start")
                .register(registry);
        delivered = Counter.builder("sse.events.delivered")
                .description("Events written to SSE streams (one per event and stream)")
                .register(registry);
        slow = Counter.builder("sse.slow.disconnects")
                .description("Streams cut because their client fell behind the outbound buffer")
                .register(registry);
        for (TransientRefusal.Cause cause : TransientRefusal.Cause.values()) {
            FunctionCounter.builder("sse.streams.refused", refusal, r -> r.refused(cause))
                    .tag("reason", cause.tag())
                    .description("Stream requests answered with retry: and the end of the stream, by reason")
                    .register(registry);
        }
        Gauge.builder("sse.draining", drain, d -> d.isDraining() ? 1 : 0)
                .description("1 while this instance drains before shutting down")
                .register(registry);
        Gauge.builder("sse.broker.healthy", broker, b -> b.isHealthy() ? 1 : 0)
                .tag("kind", broker.kind())
                .description("1 while the broker accepts publishes and delivers live")
                .register(registry);
        replays = new ReplayMeters(registry);
        publisher.observe(this);
        hub.observe(this);
        connections.observe(this);
    }

    private AtomicInteger open(String route) {
        return openByRoute.computeIfAbsent(route, r -> new AtomicInteger());
    }

    /** Events written to streams since start, as {@code /status} reports them. */
    public long deliveredTotal() {
        return (long) delivered.count();
    }

    /** Streams cut as slow since start, as {@code /status} reports them. */
    public long slowDisconnects() {
        return (long) slow.count();
    }

    /** Events published and publish latency, by the ingress they came through. */
    @Override
    public void published(Event event, String source, long latencyNanos) {
        published.computeIfAbsent(source, s -> Counter.builder("sse.events.published")
                .tag("source", s)
                .description("Events accepted for publishing, by ingress")
                .register(registry)).increment();
        latency.computeIfAbsent(source, s -> Timer.builder("sse.publish.latency")
                .tag("source", s)
                .description("Time from a validated publish to the broker's acceptance")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)).record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void resumed(boolean gap, int replayed) {
        replays.resumed(gap, replayed);
    }

    @Override
    public void caughtUp(int replayed) {
        replays.caughtUp(replayed);
    }

    @Override
    public void rewound(boolean gap, int replayed) {
        replays.rewound(gap, replayed);
    }

    @Override
    public void replayFailed() {
        replays.failed();
    }

    @Override
    public void streamOpened(String route) {
        open(route).incrementAndGet();
        opened.increment();
    }

    @Override
    public void streamClosed(String route) {
        open(route).decrementAndGet();
    }

    @Override
    public void delivered(int events) {
        delivered.increment(events);
    }

    @Override
    public void slowCut() {
        slow.increment();
    }

    /** Resumes by outcome, and the events replayed from history for them and for catch-ups. */
    private static final class ReplayMeters {
        private final Counter exact;
        private final Counter gap;
        private final Counter replayedForResume;
        private final Counter replayedForCatchUp;
        private final Counter replayedForRewind;
        private final Counter rewinds;
        private final Counter failed;

        ReplayMeters(MeterRegistry registry) {
            exact = resumes(registry, "exact");
            gap = resumes(registry, "gap");
            replayedForResume = replayed(registry, "resume");
            replayedForCatchUp = replayed(registry, "catch-up");
            replayedForRewind = replayed(registry, "rewind");
            rewinds = Counter.builder("sse.rewinds")
                    .description("First connects that started from history with rewind or since")
                    .register(registry);
            failed = Counter.builder("sse.replays.failed")
                    .description("History reads that failed (timed out, refused, Redis gone); each closed its stream")
                    .register(registry);
        }

        private static Counter resumes(MeterRegistry registry, String result) {
            return Counter.builder("sse.resumes").tag("result", result)
                    .description("Resumes with Last-Event-ID: exact, or starting with a history-gap event")
                    .register(registry);
        }

        private static Counter replayed(MeterRegistry registry, String cause) {
            return Counter.builder("sse.events.replayed").tag("cause", cause)
                    .description("Events written from history, for resumes, rewinds and catch-ups after a broker interruption")
                    .register(registry);
        }

        void resumed(boolean gapped, int replayed) {
            (gapped ? gap : exact).increment();
            replayedForResume.increment(replayed);
        }

        void caughtUp(int replayed) {
            replayedForCatchUp.increment(replayed);
        }

        void rewound(boolean gapped, int replayed) {
            rewinds.increment();
            replayedForRewind.increment(replayed);
        }

        void failed() {
            failed.increment();
        }
    }
}
