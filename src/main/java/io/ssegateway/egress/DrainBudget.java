package io.ssegateway.egress;

import java.time.Duration;

/**
 * How a drain spends {@code SSE_DRAIN_PERIOD}, which is the whole time from SIGTERM to the exit:
 * platforms send SIGKILL a fixed time after SIGTERM (Cloud Run 10 s, Fly 5 s by default,
 * Kubernetes {@code terminationGracePeriodSeconds}, 30 s by default), and a drain that spread
 * its closes over the whole period and only then stopped the application took 9.4 to 10.5 s at
 * the old default of 10 s: past Cloud Run's grace, so the last streams were cut by the kill.
 *
 * <p>So the closes are spread over the period less a reserve, the reserve is for the last
 * closes to reach their clients and the application to stop, and the deadline (the period)
 * ends the process whatever is left.
 */
record DrainBudget(Duration period, Duration spread, Duration closesDue) {
    /**
     * Kept out of the spread for the stop: a quarter of the period, at least 250 ms and at most
     * 2 s. Stopping the application (the HTTP server, Redis connections) took 0.06 to 0.5 s on a
     * busy 2-core machine (GracefulDrainTest's SIGTERM run; a process on Redis with 200 streams);
     * 2 s leaves room for a slower one.
     */
    static final Duration MIN_RESERVE = Duration.ofMillis(250);
    static final Duration MAX_RESERVE = Duration.ofSeconds(2);

    static DrainBudget of(Duration period) {
        Duration p = period.isNegative() ? Duration.ZERO : period;
        Duration reserve = p.dividedBy(4);
        if (reserve.compareTo(MIN_RESERVE) < 0) {
            reserve = MIN_RESERVE;
        }
        if (reserve.compareTo(MAX_RESERVE) > 0) {
            reserve = MAX_RESERVE;
        }
        Duration spread = p.minus(reserve).isNegative() ? Duration.ZERO : p.minus(reserve);
        // The last chunk usually reaches a client in microseconds; one that does not take it by
        // half the reserve is cut by the stop, so the stop still has the other half.
        Duration closesDue = spread.plus(reserve.dividedBy(2));
        return new DrainBudget(p, spread, closesDue);
    }

    /** When the i-th of n streams is closed, counted from the start of the drain. */
    long closeAtNanos(int i, int n) {
        return spread.toNanos() * i / n;
    }
}
