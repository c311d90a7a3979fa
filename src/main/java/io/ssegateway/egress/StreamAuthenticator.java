package io.ssegateway.egress;

import io.ssegateway.core.Audience;
import io.ssegateway.core.Namespace;

import java.util.List;

/**
 * Decides who a subscriber is and whether it may listen to the namespaces it asked for.
 * Throws {@link io.ssegateway.core.GatewayException} with {@code UNAUTHORIZED} (no or bad token
 * where one is required, or any invalid token) or {@code FORBIDDEN} (a namespace the token does
 * not cover, when subscriptions need a token).
 */
public interface StreamAuthenticator {

    Audience authenticate(SseRequest request, List<Namespace> topics);
}
