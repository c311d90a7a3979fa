package io.ssegateway.status;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.ssegateway.core.Broker;
import io.ssegateway.egress.Drain;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Readiness of this instance for new clients: the broker must be healthy (in redis mode: Redis
 * reachable and the pub/sub link proven by its probe) and the instance must not be draining.
 */
final class ReadinessIndicators {
    private ReadinessIndicators() {
    }

    @Singleton
    @Readiness
    static final class BrokerIndicator implements HealthIndicator {
        private final Broker broker;

        BrokerIndicator(Broker broker) {
            this.broker = broker;
        }

        @Override
        public Publisher<HealthResult> getResult() {
            HealthStatus status = broker.isHealthy() ? HealthStatus.UP : HealthStatus.DOWN;
            return Mono.just(HealthResult.builder("broker", status).details(Map.of("kind", broker.kind())).build());
        }
    }

    @Singleton
    @Readiness
    static final class DrainIndicator implements HealthIndicator {
        private final Drain drain;

        DrainIndicator(Drain drain) {
            this.drain = drain;
        }

        @Override
        public Publisher<HealthResult> getResult() {
            HealthStatus status = drain.isDraining() ? HealthStatus.DOWN : HealthStatus.UP;
            return Mono.just(HealthResult.builder("drain", status).details(Map.of("draining", drain.isDraining())).build());
        }
    }
}
