package io.ssegateway.status;

import io.micronaut.core.annotation.Nullable;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.security.Authenticator;
import jakarta.inject.Singleton;

/** Who may see {@code /status} and {@code /admin}: the admin role, or anyone when configured public. */
@Singleton
public class AdminAccess {
    private final Authenticator authenticator;
    private final boolean open;

    public AdminAccess(Authenticator authenticator, GatewayConfig config) {
        this.authenticator = authenticator;
        this.open = config.adminPublic();
    }

    /** True when {@code SSE_ADMIN_PUBLIC} opens the admin pages to anyone. */
    public boolean isPublic() {
        return open;
    }

    public void check(@Nullable String authorization, @Nullable String accessToken, @Nullable String cookie) {
        if (!open) {
            authenticator.requireAdmin(authorization, accessToken, cookie);
        }
    }
}
