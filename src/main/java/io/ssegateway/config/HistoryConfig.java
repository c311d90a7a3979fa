package io.ssegateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.ssegateway.core.HistoryPolicy;
import jakarta.validation.constraints.Positive;

import java.time.Duration;

/**
 * History retention, under {@code sse.history.*}: events kept per namespace, and their age.
 */
@ConfigurationProperties(Settings.HISTORY)
public record HistoryConfig(
        @Bindable(defaultValue = "1000") @Positive int maxLength,
        @Bindable(defaultValue = "1h") Duration maxAge) {

    public HistoryPolicy policy() {
        return new HistoryPolicy(maxLength, maxAge);
    }
}
