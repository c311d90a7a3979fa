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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the status of this instance in the sse-server format, extended: {@code clients} keyed
 * by {@code ip:port} with {@code remote}, {@code connectedAt}, {@code lastEventId} and
 * {@code namespaces}, plus counts per namespace and totals. Created with the application, so
 * that {@code uptimeSeconds} counts from startup.
 */
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
    public Status snapshot() {
        Map<String, Status.Client> clients = new TreeMap<>();
        Map<String, Integer> perEndpoint = new TreeMap<>();
        for (StreamIdentity s : connections.identities()) {
            List<String> ns = s.namespaces().stream().map(Namespace::path).toList();
            clients.put(s.remote(), new Status.Client(s.remote(), s.connectedAt().toString(), s.lastEventId(),
                    s.endpoint(), ns));
            perEndpoint.merge(s.kind() == StreamKind.SUBSCRIBE ? "/subscribe" : s.endpoint(), 1, Integer::sum);
        }
        List<Status.Instance> instances = new ArrayList<>();
        for (InstanceInfo i : cluster.instances()) {
            int streams = i.id().equals(cluster.instanceId()) ? connections.count() : i.streams();
            instances.add(new Status.Instance(i.id(), streams));
        }
        Status.Cluster totals = new Status.Cluster(instances, instances.size(),
                instances.stream().mapToInt(Status.Instance::clients).sum());
        return new Status(cluster.instanceId(), broker.kind(), broker.isHealthy(), drain.isDraining(),
                started.toString(), Duration.between(started, Instant.now()).toSeconds(), ProcessHandle.current().pid(),
                connections.count(), clients, hub.countsByTopic(), perEndpoint, hub.subscriptionCount(),
                metrics.deliveredTotal(), metrics.slowDisconnects(),
                ManagementFactory.getRuntimeMXBean().getUptime(), totals);
    }
}
