package io.ssegateway.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * This instance's status, as {@code GET /status} serves it and the control port's {@code status}
 * answers it: the sse-server format, extended. Every key is always written, {@code null} and
 * empty included (serde's default leaves them out): sse-server's clients read
 * {@code lastEventId} of a client that has had no event yet as {@code null}, and a dashboard
 * reads {@code clients: {}} on an instance with no stream open, not a missing key.
 *
 * @param clients keyed by the client's {@code ip:port}, in that order
 * @param namespaces subscriptions per namespace
 * @param endpoints open streams per endpoint ({@code /subscribe} for every subscription)
 * @param cluster totals over every live instance (this one alone in local mode)
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Status(String instance, String broker, boolean brokerHealthy, boolean draining, String startedAt,
                     long uptimeSeconds, long pid, int clientCount, Map<String, Client> clients,
                     Map<String, Integer> namespaces, Map<String, Integer> endpoints, int subscriptions,
                     long eventsDelivered, long slowClientsDisconnected, long jvmUptimeMillis, Cluster cluster) {

    /** One open stream. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Client(String remote, String connectedAt, @Nullable String lastEventId, String endpoint,
                         List<String> namespaces) {
    }

    /** What the cluster registry knows of every live instance. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Cluster(List<Instance> instances, int instanceCount, int clientCount) {
    }

    /** One live instance and its open streams. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Instance(String id, int clients) {
    }
}
