package io.ssegateway.cluster;

import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.ResumingSubscriber;
import io.ssegateway.testing.SseRecorder.Received;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One chaos scenario's traffic and its ledger: publishes at {@link #RATE_PER_SECOND} through the
 * instances in turn, and samples every instance's readiness, until {@link #stop()}. Then
 * {@link #verify} checks every subscriber against what was acknowledged.
 */
final class FailoverRun implements AutoCloseable {
    /** The rate issue 14 was reported at; enough that every failover phase sees publishes. */
    static final int RATE_PER_SECOND = 20;
    private static final Duration READINESS_SAMPLE = Duration.ofMillis(100);

    /** What one publish was answered; {@code id} only for 201. */
    record Outcome(String data, int instance, int status, String id, long atNanos) {
    }

    /** Numbers for the report of a scenario. */
    record Tally(int acknowledged, int refused, long refusalMillis, List<Integer> delivered, List<Integer> gaps,
                 List<Integer> lostBehindGap, List<Boolean> wentUnready) {
        @Override
        public String toString() {
            return "acknowledged=" + acknowledged + " refused=" + refused + " refusalWindowMs=" + refusalMillis
                    + " delivered=" + delivered + " gaps=" + gaps + " lostBehindGap=" + lostBehindGap
                    + " readinessWentDown=" + wentUnready;
        }
    }

    private final Cluster cluster;
    private final String name;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private final List<Outcome> outcomes = new ArrayList<>();
    private final boolean[] unready;
    private int count;

    private FailoverRun(Cluster cluster, String name) {
        this.cluster = cluster;
        this.name = name;
        this.unready = new boolean[cluster.instances().size()];
    }

    /** Starts publishing to {@code namespace} and sampling readiness. */
    static FailoverRun start(Cluster cluster, String name, String namespace) {
        FailoverRun run = new FailoverRun(cluster, name);
        run.timers.scheduleAtFixedRate(() -> run.publishOne(namespace), 0, 1000 / RATE_PER_SECOND, TimeUnit.MILLISECONDS);
        run.timers.scheduleAtFixedRate(run::sampleReadiness, 0, READINESS_SAMPLE.toMillis(), TimeUnit.MILLISECONDS);
        return run;
    }

    private void publishOne(String namespace) {
        int n;
        synchronized (this) {
            n = count++;
        }
        int instance = n % cluster.instances().size();
        String data = name + "-" + n;
        Outcome outcome;
        try {
            Http.Reply r = cluster.broadcast(cluster.get(instance), "{\"namespace\":\"" + namespace + "\",\"data\":\"" + data + "\"}");
            String id = r.status() == 201 ? Cluster.json(r.body()).get("id").asText() : null;
            outcome = new Outcome(data, instance, r.status(), id, System.nanoTime());
        } catch (RuntimeException e) {
            outcome = new Outcome(data, instance, -1, null, System.nanoTime());
        }
        synchronized (this) {
            outcomes.add(outcome);
        }
    }

    private void sampleReadiness() {
        List<Gateway> instances = cluster.instances();
        for (int i = 0; i < instances.size(); i++) {
            try {
                if (Cluster.readiness(instances.get(i)) != 200) {
                    synchronized (this) {
                        unready[i] = true;
                    }
                }
            } catch (RuntimeException e) {
                // An instance that does not answer its readiness probe is not ready either.
                synchronized (this) {
                    unready[i] = true;
                }
            }
        }
    }

    /** Stops publishing and sampling; waits for the publish in flight. */
    void stop() {
        timers.shutdown();
        try {
            assertTrue(timers.awaitTermination(10, TimeUnit.SECONDS), "the publisher stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the traffic; then, as soon as each instance says it is ready, one publish through it
     * must be accepted (readiness that says up while publishing cannot work would be a lie) and
     * reach every subscriber live, on every instance, within {@code within}.
     */
    void finish(String namespace, List<ResumingSubscriber> subscribers, Duration within) {
        stop();
        List<String> finals = new ArrayList<>();
        for (int i = 0; i < cluster.instances().size(); i++) {
            Gateway g = cluster.get(i);
            io.ssegateway.testing.Await.until(within, "readiness of instance " + i, () -> Cluster.readiness(g) == 200);
            String data = name + "-final" + i;
            Http.Reply r = cluster.broadcast(g, "{\"namespace\":\"" + namespace + "\",\"data\":\"" + data + "\"}");
            assertTrue(r.status() == 201, name + ": instance " + i + " was ready but refused a publish: " + r);
            synchronized (this) {
                outcomes.add(new Outcome(data, i, 201, Cluster.json(r.body()).get("id").asText(), System.nanoTime()));
            }
            finals.add(data);
        }
        for (ResumingSubscriber s : subscribers) {
            for (String data : finals) {
                s.awaitData(data, within);
            }
        }
    }

    synchronized List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /**
     * Milliseconds from {@code switchNanos} to the first publish acknowledged after it whose event
     * the new master kept ({@code kept}: the data of its history): until then the gateway
     * either refused publishes or took them to the old master, where they were lost. Fails when
     * no publish after the switch was kept.
     */
    long keptPublishAfter(long switchNanos, Set<String> kept) {
        return outcomes().stream()
                .filter(o -> o.status() == 201 && o.atNanos() > switchNanos && kept.contains(o.data()))
                .findFirst()
                .map(o -> (o.atNanos() - switchNanos) / 1_000_000)
                .orElseThrow(() -> new AssertionError(name + ": no publish after the switch reached the new master"));
    }

    synchronized boolean wentUnready(int instance) {
        return unready[instance];
    }

    /**
     * Checks each subscriber against the ledger: every acknowledged event arrives exactly once and
     * in order, except those a {@code history-gap} event announced; a refused publish arrives at
     * most once (a 503 after a timeout may have run). Fails on a silent jump, a repeat or a
     * reordering; returns the numbers.
     */
    Tally verify(List<ResumingSubscriber> subscribers) {
        List<Outcome> all = outcomes();
        Map<String, Integer> ackIndex = new HashMap<>();
        List<String> acked = new ArrayList<>();
        Set<String> refused = new HashSet<>();
        long firstRefusal = 0;
        long lastRefusal = 0;
        for (Outcome o : all) {
            if (o.status() == 201) {
                ackIndex.put(o.data(), acked.size());
                acked.add(o.data());
            } else {
                refused.add(o.data());
                firstRefusal = firstRefusal == 0 ? o.atNanos() : firstRefusal;
                lastRefusal = o.atNanos();
            }
        }
        List<Integer> delivered = new ArrayList<>();
        List<Integer> gaps = new ArrayList<>();
        List<Integer> lost = new ArrayList<>();
        for (ResumingSubscriber s : subscribers) {
            int last = -1;
            int gapCount = 0;
            int lostCount = 0;
            int deliveredCount = 0;
            boolean gapAnnounced = false;
            Set<String> seen = new HashSet<>();
            for (Received e : s.events()) {
                if ("history-gap".equals(e.type())) {
                    gapAnnounced = true;
                    gapCount++;
                    continue;
                }
                if (e.data() == null || !e.data().startsWith(name + "-")) {
                    continue;
                }
                if (!seen.add(e.data())) {
                    fail(name + ": " + e.data() + " delivered twice to one subscriber: " + s.events());
                }
                Integer index = ackIndex.get(e.data());
                if (index == null) {
                    assertTrue(refused.contains(e.data()), name + ": never published: " + e);
                    continue;
                }
                if (index <= last) {
                    fail(name + ": " + e.data() + " arrived after " + acked.get(last) + ", out of order");
                }
                if (index > last + 1) {
                    if (!gapAnnounced) {
                        fail(name + ": silent jump from " + (last < 0 ? "the start" : acked.get(last)) + " to " + e.data()
                                + ", missing " + acked.subList(last + 1, index));
                    }
                    lostCount += index - last - 1;
                }
                gapAnnounced = false;
                last = index;
                deliveredCount++;
            }
            if (last != acked.size() - 1) {
                fail(name + ": the last acknowledged events never arrived: " + acked.subList(last + 1, acked.size()));
            }
            delivered.add(deliveredCount);
            gaps.add(gapCount);
            lost.add(lostCount);
        }
        List<Boolean> down = new ArrayList<>();
        for (int i = 0; i < unready.length; i++) {
            down.add(wentUnready(i));
        }
        return new Tally(acked.size(), refused.size(), (lastRefusal - firstRefusal) / 1_000_000, delivered, gaps, lost, down);
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
