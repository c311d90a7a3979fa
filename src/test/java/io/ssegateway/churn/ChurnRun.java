package io.ssegateway.churn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The bookkeeping of one run: its phases (where each begins and ends in the publisher's
 * sequence), and the waits between them, each on a condition with a bound, never on time.
 */
final class ChurnRun {
    /** How long every alive client may take to have all events published so far. */
    static final Duration CATCH_UP = Duration.ofSeconds(30);
    /** The clients are polled over DevTools: often enough to move on quickly, rarely enough to leave CPU to the run. */
    private static final long POLL_NANOS = 200_000_000L;

    private final Publisher publisher;
    private final List<ClientGroup> groups;
    private final List<PhaseTable.Phase> phases = new ArrayList<>();
    private long phaseStart;
    private long phaseStartMillis;
    private long scoredFrom = -1;

    ChurnRun(Publisher publisher, List<ClientGroup> groups) {
        this.publisher = publisher;
        this.groups = groups;
    }

    List<ClientRecord.Status> status() {
        return groups.stream().flatMap(g -> g.status().stream()).toList();
    }

    List<ClientRecord> records() {
        return groups.stream().flatMap(g -> g.records().stream()).toList();
    }

    List<PhaseTable.Phase> phases() {
        return phases;
    }

    /**
     * Waits until every client has received an event, and scores the run from then on: what was
     * published while the clients were still connecting is not theirs to miss.
     */
    void awaitEveryClientReceiving(Duration timeout) {
        waitFor(timeout, "every client to receive its first event",
                () -> status().stream().allMatch(s -> s.firstSeq() >= 0 || s.closed()));
        scoredFrom = status().stream().mapToLong(ClientRecord.Status::firstSeq).max().orElseThrow() + 1;
        phaseStart = scoredFrom;
        phaseStartMillis = System.currentTimeMillis();
    }

    long phaseStartMillis() {
        return phaseStartMillis;
    }

    /** Ends the current phase at the publisher's present position. */
    void endPhase(String name, String note) {
        long end = publisher.nextSeq();
        long now = System.currentTimeMillis();
        Set<String> closed = status().stream().filter(ClientRecord.Status::closed).map(ClientRecord.Status::name)
                .collect(Collectors.toCollection(HashSet::new));
        phases.add(new PhaseTable.Phase(name, phaseStart, end, now - phaseStartMillis, closed, note));
        phaseStart = end;
        phaseStartMillis = now;
    }

    /** Waits until {@code events} more have been published (the publisher keeps its own pace). */
    void awaitPublished(int events) {
        long target = publisher.nextSeq() + events;
        waitFor(Publisher.PERIOD.multipliedBy(events).plusSeconds(30), events + " more events to be published",
                () -> publisher.nextSeq() >= target);
    }

    /**
     * Waits until every client not CLOSED has the last event accepted so far; returns the names
     * of those that did not within {@link #CATCH_UP}, empty when all did.
     */
    List<String> awaitCaughtUp() {
        long target = publisher.lastAccepted();
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (true) {
            List<String> behind = status().stream().filter(s -> !s.closed() && s.lastSeq() < target)
                    .map(ClientRecord.Status::name).toList();
            if (behind.isEmpty() || System.nanoTime() - deadline > 0) {
                return behind;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    static void waitFor(Duration timeout, String what, BooleanSupplier condition) {
        if (!await(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        }
    }

    /**
     * Waits for a condition that depends on how the clients fare; false after {@code timeout},
     * so that the run goes on and its table shows what went wrong.
     */
    static boolean await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }
}
