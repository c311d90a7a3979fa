package io.ssegateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The FIFO input, under {@code sse.fifo.*} ({@code SSE_FIFO_PATH}).
 *
 * @param path the FIFO to read, created (mode 0620) when missing; unset or empty turns it off
 */
@ConfigurationProperties(Settings.FIFO)
public record FifoConfig(@Nullable String path) {

    public Optional<Path> fifo() {
        return path == null || path.isBlank() ? Optional.empty() : Optional.of(Path.of(path));
    }
}
