package io.ssegateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * The control port, under {@code sse.control.*} ({@code SSE_CONTROL_PORT},
 * {@code SSE_CONTROL_BIND}).
 *
 * @param port the TCP port; {@code 0} turns the control port off
 * @param bind the address to listen on; loopback by default, since whoever reaches the port may
 *     publish anywhere and halt the instance
 */
@ConfigurationProperties(Settings.CONTROL)
public record ControlConfig(
        @Bindable(defaultValue = "7070") @Min(0) @Max(65535) int port,
        @Bindable(defaultValue = "127.0.0.1") @NotBlank String bind) {

    public boolean enabled() {
        return port != 0;
    }
}
