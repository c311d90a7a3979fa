package io.ssegateway.status;

import io.micronaut.context.annotation.Value;
import io.ssegateway.core.Broker;
import io.ssegateway.core.Hub;
import io.ssegateway.core.Namespace;
import io.ssegateway.egress.Connections;
import io.ssegateway.egress.Drain;
import io.ssegateway.egress.SseStream;
import jakarta.inject.Singleton;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Builds the status of this instance in the sse-server format, extended: {@code clients} keyed
 * by {@code ip:port} with {@code remote}, {@code connectedAt}, {@code lastEventId} and
 * {@code namespaces}, plus counts per namespace and totals.
 */
@Singleton
public class LocalStatusService implements StatusService {
    private final Connections connections;
    private final Hub hub;
    private final Broker broker;
    private final Drain drain;
    private final String instanceId;
    private final Instant started = Instant.now();

    public LocalStatusService(Connections connections, Hub hub, Broker broker, Drain drain,
                              @Value("${sse.instance-id:}") String instanceId) {
        this.connections = connections;
        this.hub = hub;
        this.broker = broker;
        this.drain = drain;
        this.instanceId = instanceId.isEmpty() ? defaultId() : instanceId;
    }

    private static String defaultId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "gateway");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String instanceId() {
        return instanceId;
    }

    @Override
    public Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instance", instanceId);
        out.put("broker", broker.kind());
        out.put("brokerHealthy", broker.isHealthy());
        out.put("draining", drain.isDraining());
        out.put("startedAt", started.toString());
        out.put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
        out.put("pid", ProcessHandle.current().pid());
        Map<String, Object> clients = new TreeMap<>();
        Map<String, Integer> perEndpoint = new TreeMap<>();
        for (SseStream s : connections.streams()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("remote", s.remote());
            c.put("connectedAt", s.connectedAt().toString());
            c.put("lastEventId", s.lastEventId());
            c.put("endpoint", s.endpoint());
            List<String> ns = s.namespaces().stream().map(Namespace::path).toList();
            c.put("namespaces", ns);
            clients.put(s.remote(), c);
            perEndpoint.merge(s.endpoint().startsWith("/subscribe") ? "/subscribe" : s.endpoint(), 1, Integer::sum);
        }
        out.put("clientCount", connections.count());
        out.put("clients", clients);
        out.put("namespaces", hub.countsByTopic());
        out.put("endpoints", perEndpoint);
        out.put("subscriptions", hub.subscriptionCount());
        out.put("eventsDelivered", connections.deliveredTotal());
        out.put("slowClientsDisconnected", connections.slowDisconnects());
        out.put("jvmUptimeMillis", ManagementFactory.getRuntimeMXBean().getUptime());
        return out;
    }
}
