package io.ssegateway.egress;

/**
 * Graceful shutdown of this instance: readiness goes down, new subscriptions are refused, open
 * streams are closed spread over the drain period (so their clients reconnect elsewhere and
 * resume), then the process exits with status 0. Started by SIGTERM or a {@code halt} command.
 */
public interface Drain {

    /** Starts draining, once; later calls do nothing. Returns at once. */
    void begin(String reason);

    boolean isDraining();
}
