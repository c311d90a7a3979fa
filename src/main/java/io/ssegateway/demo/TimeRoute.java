package io.ssegateway.demo;

import io.micronaut.context.annotation.Requires;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.config.Settings;
import io.ssegateway.core.Json;
import io.ssegateway.core.SseEncoder;
import io.ssegateway.egress.SseRequest;
import io.ssegateway.egress.SseRoute;
import io.ssegateway.egress.StreamKind;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** {@code GET /api/time}: {@code event: time} with the current time as a JSON string, every interval. */
@Singleton
@Requires(property = Settings.DEMO_ENABLED, notEquals = "false")
public class TimeRoute implements SseRoute {
    private final Duration interval;

    public TimeRoute(GatewayConfig config) {
        this.interval = config.demoInterval();
    }

    @Override
    public String name() {
        return "time";
    }

    @Override
    public StreamKind kind() {
        return StreamKind.BUILT_IN;
    }

    @Override
    public boolean serves(String path) {
        return path.equals("/api/time");
    }

    @Override
    public Opening prepare(SseRequest request) {
        return stream -> {
            stream.describe(List.of(), () -> null);
            Runnable tick = () -> {
                String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
                stream.sendFrame(SseEncoder.encode(null, "time", Json.quote(now), null));
                stream.flush();
            };
            tick.run();
            stream.every(interval, interval, tick);
        };
    }
}
