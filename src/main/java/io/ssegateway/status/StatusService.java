package io.ssegateway.status;

/**
 * This instance's status as served by {@code GET /status} and answered to {@code status} on the
 * control port: instance id, uptime, connected clients (keyed by {@code ip:port}), counts per
 * namespace and, in redis mode, cluster-wide totals.
 */
public interface StatusService {

    /** The status now. */
    Status snapshot();
}
