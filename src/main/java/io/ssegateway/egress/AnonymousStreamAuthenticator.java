package io.ssegateway.egress;

import io.micronaut.context.annotation.Secondary;
import io.ssegateway.core.Audience;
import io.ssegateway.core.Namespace;
import jakarta.inject.Singleton;

import java.util.List;

@Singleton
@Secondary
class AnonymousStreamAuthenticator implements StreamAuthenticator {
    @Override
    public Audience authenticate(SseRequest request, List<Namespace> topics) {
        return Audience.ANONYMOUS;
    }
}
