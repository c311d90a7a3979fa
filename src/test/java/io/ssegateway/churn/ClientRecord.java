package io.ssegateway.churn;

import java.util.List;

/**
 * What one SSE client saw over a whole run: the sequence numbers of the events it received, in
 * arrival order, whether its EventSource ever reached CLOSED, how many history gaps it was
 * told of, and each state change for the report.
 *
 * @param name unique within the run, e.g. {@code chromium-nginx-1}
 * @param via  {@code nginx} or {@code direct}: whether a retrying proxy stood in front
 */
record ClientRecord(String name, String via, List<Long> seqs, boolean closed, int gaps, List<Change> log) {
    /** The live view polled while the run goes on; sequence numbers are -1 before the first event. */
    record Status(String name, boolean closed, long firstSeq, long lastSeq) {
    }

    /**
     * A readyState seen at a time (epoch milliseconds), and why: {@code open}, {@code error},
     * {@code history-gap}, or {@code poll} (a change the page saw without an event).
     */
    record Change(long at, String why, int readyState, String message) {
        @Override
        public String toString() {
            return at + " " + why + " readyState=" + readyState + (message == null ? "" : " " + message);
        }
    }

    /** How many times the EventSource opened between two times. */
    long opensBetween(long from, long to) {
        return log.stream().filter(c -> c.why().equals("open") && c.at() >= from && c.at() < to).count();
    }
}
