package io.ssegateway.core;

import java.util.List;

/**
 * The gateway instances that serve clients, for {@code /status} and
 * {@code /api/client-count}: just this one with the local broker, every live one with Redis.
 *
 * <p>Never blocks: {@link #instances()} is a snapshot kept up to date in the background, and
 * {@link #report} records the count and leaves telling the others to the background.
 */
public interface ClusterView {

    /** This instance's id. */
    String instanceId();

    /** Records this instance's number of open SSE streams; other instances learn it within moments. */
    void report(int streams);

    /** Every live instance as last heard of, this one first. */
    List<InstanceInfo> instances();

    /**
     * Registers a callback run when any instance's counts change (or an instance comes or
     * goes). It may run on any thread, the one that called {@link #report} included, and must
     * not block.
     */
    void onChange(Runnable listener);

    /** Unregisters a callback given to {@link #onChange}. */
    void removeListener(Runnable listener);

    /** Open SSE streams over all live instances. */
    default int totalStreams() {
        int total = 0;
        for (InstanceInfo i : instances()) {
            total += i.streams();
        }
        return total;
    }
}
