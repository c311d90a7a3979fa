package io.ssegateway.egress;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import io.ssegateway.config.GatewayConfig;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drains this instance: refuses new streams (and readiness goes down), then closes the open
 * ones spread evenly over the drain period, so their clients reconnect to other instances a
 * few at a time and resume there, instead of all at once.
 *
 * <p>SIGTERM (see {@code Application}) and {@code halt} call {@link #begin}: the drain runs
 * first, then the application stops and the process exits with 0 ({@code sse.exit-after-halt},
 * on by default; tests turn it off). When the application is stopped another way, the drain
 * runs inside the shutdown, holding it until done.
 */
@Singleton
public class GracefulDrain implements Drain, ApplicationEventListener<ShutdownEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulDrain.class);
    /** Time for the last closes to reach the clients before the server stops. */
    private static final Duration MARGIN = Duration.ofMillis(500);

    private final Connections connections;
    private final Duration period;
    private final ApplicationContext context;
    private final boolean exitAfterHalt;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final CountDownLatch drained = new CountDownLatch(1);

    public GracefulDrain(Connections connections, GatewayConfig config, ApplicationContext context,
                         @Value("${sse.exit-after-halt:true}") boolean exitAfterHalt) {
        this.connections = connections;
        this.period = config.drainPeriod();
        this.context = context;
        this.exitAfterHalt = exitAfterHalt;
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
        Thread stopper = new Thread(() -> {
            awaitDrained();
            LOG.info("event=halt-stop");
            context.stop();
            if (exitAfterHalt) {
                System.exit(0);
            }
        }, "sse-halt");
        stopper.setDaemon(false);
        stopper.start();
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
        List<SseStream> streams = connections.streams();
        LOG.info("event=drain-start reason={} streams={} period={}", reason, streams.size(), period);
        if (streams.isEmpty()) {
            drained.countDown();
            return true;
        }
        long periodNanos = Math.max(0, period.toNanos());
        CountDownLatch closes = new CountDownLatch(streams.size());
        for (int i = 0; i < streams.size(); i++) {
            SseStream s = streams.get(i);
            long delay = periodNanos * i / streams.size();
            try {
                s.eventLoop().schedule(() -> {
                    s.close("draining");
                    closes.countDown();
                }, delay, TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                closes.countDown();
            }
        }
        Thread waiter = new Thread(() -> {
            try {
                closes.await(periodNanos + MARGIN.toNanos(), TimeUnit.NANOSECONDS);
                Thread.sleep(MARGIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("event=drain-done remaining={}", connections.count());
            drained.countDown();
        }, "sse-drain");
        waiter.setDaemon(true);
        waiter.start();
        return true;
    }

    private void awaitDrained() {
        try {
            drained.await(period.toMillis() + 5 * MARGIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
