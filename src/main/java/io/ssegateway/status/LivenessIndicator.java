package io.ssegateway.status;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * {@code /health/liveness}: up whenever it is asked. The probe is read and answered by the event
 * loop its connection belongs to, the loops that write every stream, so an answer at all is what
 * shows the process alive; nothing here may wait for another thread (Micronaut's deadlocked-threads
 * indicator, which did, is off: see application.properties).
 */
@Singleton
@Liveness
final class LivenessIndicator implements HealthIndicator {
    private static final HealthResult UP = HealthResult.builder("eventLoops", HealthStatus.UP).build();

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.just(UP);
    }
}
