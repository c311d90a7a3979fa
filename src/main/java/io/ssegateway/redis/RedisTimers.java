package io.ssegateway.redis;

import io.lettuce.core.resource.ClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The periodic and delayed tasks of one broker (probes, sweeps, heartbeats), on Lettuce's event
 * executors, all cancelled when the broker closes. Tasks must not block.
 */
final class RedisTimers {
    private static final Logger LOG = LoggerFactory.getLogger(RedisTimers.class);

    private final ClientResources resources;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();

    RedisTimers(ClientResources resources) {
        this.resources = resources;
    }

    /** Runs {@code task} every {@code period} until {@link #cancelAll} or the returned future is cancelled. */
    ScheduledFuture<?> every(Duration period, Runnable task) {
        long millis = period.toMillis();
        ScheduledFuture<?> timer = resources.eventExecutorGroup()
                .scheduleAtFixedRate(guarded(task), millis, millis, TimeUnit.MILLISECONDS);
        synchronized (timers) {
            timers.add(timer);
        }
        return timer;
    }

    /** Runs {@code task} once after {@code delay}. */
    void later(Duration delay, Runnable task) {
        resources.eventExecutorGroup().schedule(guarded(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    void cancelAll() {
        synchronized (timers) {
            timers.forEach(t -> t.cancel(false));
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // Thrown out of a periodic task, it would cancel the timer for good.
                LOG.warn("event=timer-failed reason=\"{}\"", e.toString());
            }
        };
    }
}
