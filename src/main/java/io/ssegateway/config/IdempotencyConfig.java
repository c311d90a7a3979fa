package io.ssegateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code Idempotency-Key} on publish, under {@code sse.idempotency.*}.
 *
 * @param window how long a key is remembered after its request's last event was published
 *     ({@code SSE_IDEMPOTENCY_WINDOW}); a retry later than this publishes again
 */
@ConfigurationProperties(Settings.IDEMPOTENCY)
public record IdempotencyConfig(@Bindable(defaultValue = "5m") Duration window) {
}
