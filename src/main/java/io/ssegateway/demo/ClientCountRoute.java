package io.ssegateway.demo;

import io.micronaut.context.annotation.Requires;
import io.ssegateway.config.Settings;
import io.ssegateway.core.SseEncoder;
import io.ssegateway.egress.SseRequest;
import io.ssegateway.egress.SseRoute;
import io.ssegateway.egress.StreamKind;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * {@code GET /api/client-count}: {@code event: client-count} with {@code {"Count": n}}, the number
 * of open SSE streams of every endpoint, sent at once and then whenever it changes.
 */
@Singleton
@Requires(property = Settings.DEMO_ENABLED, notEquals = "false")
public class ClientCountRoute implements SseRoute {
    private final ClientCount count;

    public ClientCountRoute(ClientCount count) {
        this.count = count;
    }

    @Override
    public String name() {
        return "client-count";
    }

    @Override
    public StreamKind kind() {
        return StreamKind.BUILT_IN;
    }

    @Override
    public boolean serves(String path) {
        return path.equals("/api/client-count");
    }

    @Override
    public Opening prepare(SseRequest request) {
        return stream -> {
            stream.describe(List.of(), () -> null);
            int[] lastSent = {-1};
            // Changes are reported from many threads; reading the count when the task runs keeps
            // a late task from sending a stale number.
            IntConsumer send = ignored -> stream.executor().execute(() -> {
                int n = count.current();
                if (n != lastSent[0]) {
                    lastSent[0] = n;
                    stream.sendFrame(SseEncoder.encode(null, "client-count", "{\"Count\": " + n + "}", null));
                    stream.flush();
                }
            });
            stream.onClose(count.listen(send));
            send.accept(count.current());
        };
    }
}
