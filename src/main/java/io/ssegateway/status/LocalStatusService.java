package io.ssegateway.status;

import io.ssegateway.core.Broker;
import io.ssegateway.core.ClusterView;
import io.ssegateway.core.InstanceInfo;
import io.ssegateway.core.Hub;
import io.ssegateway.core.Namespace;
import io.ssegateway.egress.Connections;
import io.ssegateway.egress.Drain;
import io.ssegateway.egress.StreamIdentity;
import io.ssegateway.egress.StreamKind;
import io.micronaut.context.annotation.Context;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the status of this instance in the sse-server format, extended: {@code clients} keyed
 * by {@code ip:port} with {@code remote}, {@code connectedAt}, {@code lastEventId} and
 * {@code namespaces}, plus counts per namespace and totals.
 */
/** Created with the application, so that {@code uptimeSeconds} counts from startup. */
@Context
public class LocalStatusService implements StatusService {
    private final Connections connections;
    private final Hub hub;
    private final Broker broker;
    private final Drain drain;
    private final ClusterView cluster;
    private final GatewayMetrics metrics;
    private final Instant started = Instant.now();

    public LocalStatusService(Connections connections, Hub hub, Broker broker, Drain drain, ClusterView cluster,
                              GatewayMetrics metrics) {
        this.connections = connections;
        this.hub = hub;
        this.broker = broker;
        this.drain = drain;
        this.cluster = cluster;
        this.metrics = metrics;
    }

    @Override
    public Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instance", cluster.instanceId());
        out.put("broker", broker.kind());
        out.put("brokerHealthy", broker.isHealthy());
        out.put("draining", drain.isDraining());
        out.put("startedAt", started.toString());
        out.put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
        out.put("pid", ProcessHandle.current().pid());
        Map<String, Object> clients = new TreeMap<>();
        Map<String, Integer> perEndpoint = new TreeMap<>();
        for (StreamIdentity s : connections.identities()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("remote", s.remote());
            c.put("connectedAt", s.connectedAt().toString());
            c.put("lastEventId", s.lastEventId());
            c.put("endpoint", s.endpoint());
            List<String> ns = s.namespaces().stream().map(Namespace::path).toList();
            c.put("namespaces", ns);
            clients.put(s.remote(), c);
            perEndpoint.merge(s.kind() == StreamKind.SUBSCRIBE ? "/subscribe" : s.endpoint(), 1, Integer::sum);
        }
        out.put("clientCount", connections.count());
        out.put("clients", clients);
        out.put("namespaces", hub.countsByTopic());
        out.put("endpoints", perEndpoint);
        out.put("subscriptions", hub.subscriptionCount());
        out.put("eventsDelivered", metrics.deliveredTotal());
        out.put("slowClientsDisconnected", metrics.slowDisconnects());
        out.put("jvmUptimeMillis", ManagementFactory.getRuntimeMXBean().getUptime());
        List<Map<String, Object>> instances = new java.util.ArrayList<>();
        for (InstanceInfo i : cluster.instances()) {
            int streams = i.id().equals(cluster.instanceId()) ? connections.count() : i.streams();
            instances.add(Map.of("id", i.id(), "clients", streams));
        }
        Map<String, Object> clusterTotals = new LinkedHashMap<>();
        clusterTotals.put("instances", instances);
        clusterTotals.put("instanceCount", instances.size());
        clusterTotals.put("clientCount", instances.stream().mapToInt(m -> (Integer) m.get("clients")).sum());
        out.put("cluster", clusterTotals);
        return out;
    }
}
