package io.ssegateway.config;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.ssegateway.security.SecurityConfig;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * Once the HTTP server is bound: the URL it listens on, and where a token comes from when the
 * gateway is not in development mode (which logs one itself). Newcomers had neither: the port
 * was only in Micronaut's "Startup completed" line, and with {@code JWT_SECRET} set (as Redis
 * mode needs) nothing said how to get a publisher token.
 */
@Singleton
final class ListeningLog implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(ListeningLog.class);

    private final boolean secretSet;
    private final boolean jwksSet;

    ListeningLog(SecurityConfig security) {
        this.secretSet = security.secret() != null;
        this.jwksSet = security.jwksUrl() != null;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        String url = event.getSource().getURL().toString();
        long startedMs = ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis()).orElse(-1L);
        LOG.info("event=listening url={} since-process-start-ms={} subscribe=\"curl -N {}/subscribe/pets\"", url, startedMs, url);
        if (secretSet) {
            LOG.info("auth=jwt tokens=\"POST {}/login with a user from sse.users, or any HS256 token signed with JWT_SECRET"
                    + " (README: Login, Two instances on one Redis)\"", url);
        } else if (jwksSet) {
            LOG.info("auth=jwt tokens=\"from the identity provider whose keys JWT_JWKS_URL names\"");
        }
    }
}
