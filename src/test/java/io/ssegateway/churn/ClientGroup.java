package io.ssegateway.churn;

import java.util.List;

/** A set of SSE clients of one kind (Chromium, npm eventsource) the run watches and checks. */
interface ClientGroup extends AutoCloseable {
    List<ClientRecord.Status> status();

    List<ClientRecord> records();

    @Override
    void close();

    /**
     * One client to open.
     *
     * @param via {@code nginx} or {@code direct}
     */
    record Target(String name, String via, String url) {
    }
}
