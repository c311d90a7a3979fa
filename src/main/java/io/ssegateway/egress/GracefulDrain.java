package io.ssegateway.egress;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import io.ssegateway.config.GatewayConfig;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drains this instance: refuses new streams (and readiness goes down) at once, then closes the
 * open ones spread evenly over most of the drain period, so their clients reconnect to other
 * instances a few at a time and resume there, instead of all at once; the whole drain, stop
 * included, fits in the period ({@link DrainBudget}).
 *
 * <p>SIGTERM (see {@code Application}) and {@code halt} call {@link #begin}: the drain runs
 * first, then the application stops and the process exits with 0 ({@code sse.exit-after-halt},
 * on by default; tests turn it off), at the latest when the period is over. When the
 * application is stopped another way, the drain runs inside the shutdown, holding it until done.
 */
@Singleton
public class GracefulDrain implements Drain, ApplicationEventListener<ShutdownEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulDrain.class);

    private final Connections connections;
    private final DrainBudget budget;
    private final ApplicationContext context;
    private final boolean exitAfterHalt;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final CountDownLatch drained = new CountDownLatch(1);
    private volatile long startedNanos;

    public GracefulDrain(Connections connections, GatewayConfig config, ApplicationContext context) {
        this.connections = connections;
        this.budget = DrainBudget.of(config.drainPeriod());
        this.context = context;
        this.exitAfterHalt = config.exitAfterHalt();
    }

    @Override
    public boolean isDraining() {
        return draining.get();
    }

    @Override
    public void begin(String reason) {
        if (!startDrain(reason)) {
            return;
        }
        if (exitAfterHalt) {
            deadline();
        }
        Thread stopper = new Thread(() -> {
            awaitDrained();
            context.stop();
            LOG.info("event=drain-stopped elapsed_ms={}", elapsedMillis());
            if (exitAfterHalt) {
                System.exit(0);
            }
        }, "sse-halt");
        stopper.setDaemon(false);
        stopper.start();
    }

    /**
     * The platform kills the process a fixed time after SIGTERM; exiting ourselves at the end of
     * the period, whatever still runs, keeps the exit clean (status 0, the log written) rather
     * than a SIGKILL in the middle of a stop.
     */
    private void deadline() {
        Thread watchdog = new Thread(() -> {
            long left = budget.period().toNanos() - (System.nanoTime() - startedNanos);
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, left));
            } catch (InterruptedException e) {
                return;
            }
            LOG.warn("event=drain-deadline elapsed_ms={} remaining={}", elapsedMillis(), connections.count());
            Runtime.getRuntime().halt(0);
        }, "sse-drain-deadline");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** The application is stopping without a drain before: drain now, holding the shutdown. */
    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        startDrain("shutdown");
        awaitDrained();
    }

    private boolean startDrain(String reason) {
        if (!draining.compareAndSet(false, true)) {
            return false;
        }
        startedNanos = System.nanoTime();
        List<SseStream> streams = connections.streams();
        LOG.info("event=drain-start reason={} streams={} period={} spread={}", reason, streams.size(),
                budget.period(), budget.spread());
        if (streams.isEmpty()) {
            drained.countDown();
            return true;
        }
        List<CompletableFuture<Void>> disconnected = new ArrayList<>(streams.size());
        for (int i = 0; i < streams.size(); i++) {
            SseStream s = streams.get(i);
            CompletableFuture<Void> gone = new CompletableFuture<>();
            s.onDisconnect(() -> gone.complete(null));
            disconnected.add(gone);
            try {
                s.eventLoop().schedule(() -> s.close("draining"), budget.closeAtNanos(i, streams.size()), TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                gone.complete(null);
            }
        }
        CompletableFuture.allOf(disconnected.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, budget.closesDue().toNanos(), TimeUnit.NANOSECONDS)
                .thenRun(() -> {
                    long open = disconnected.stream().filter(f -> !f.isDone()).count();
                    LOG.info("event=drain-done elapsed_ms={} still_connected={}", elapsedMillis(), open);
                    drained.countDown();
                });
        return true;
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private void awaitDrained() {
        try {
            long left = budget.closesDue().toNanos() - (System.nanoTime() - startedNanos);
            drained.await(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
