package io.ssegateway.deploy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Kubernetes objects rendered from the chart, as SnakeYAML maps, with the look-ups the chart tests need. */
final class Manifests {

    private final List<Map<String, Object>> objects;

    Manifests(List<Map<String, Object>> objects) {
        this.objects = List.copyOf(objects);
    }

    List<Map<String, Object>> all() {
        return objects;
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.get("kind")) && name.equals(at(o, "metadata", "name")))
                .findFirst();
    }

    Map<String, Object> get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " among " + names()));
    }

    long count(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).count();
    }

    List<String> names() {
        return objects.stream().map(o -> o.get("kind") + "/" + at(o, "metadata", "name")).toList();
    }

    Map<String, Object> deployment() {
        return get("Deployment", Chart.FULLNAME);
    }

    Map<String, Object> podSpec() {
        return map(deployment(), "spec", "template", "spec");
    }

    Map<String, Object> container(String name) {
        return list(podSpec(), "containers").stream()
                .map(Manifests::asMap)
                .filter(c -> name.equals(c.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    Map<String, Object> gateway() {
        return container("gateway");
    }

    /** The gateway's ConfigMap, which the Deployment loads whole with {@code envFrom}. */
    Map<String, Object> config() {
        return map(get("ConfigMap", Chart.FULLNAME), "data");
    }

    /** An environment variable set explicitly on a container, as its {@code EnvVar} object. */
    Optional<Map<String, Object>> env(Map<String, Object> container, String name) {
        Object env = container.get("env");
        if (env == null) {
            return Optional.empty();
        }
        return ((List<?>) env).stream().map(Manifests::asMap).filter(e -> name.equals(e.get("name"))).findFirst();
    }

    /** Follows map keys and list indices; {@code null} where the path leads nowhere. */
    static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (current instanceof Map<?, ?> m && step instanceof String key) {
                current = m.get(key);
            } else if (current instanceof List<?> l && step instanceof Integer index && index < l.size()) {
                current = l.get(index);
            } else {
                return null;
            }
        }
        return current;
    }

    static Map<String, Object> map(Object node, Object... path) {
        return asMap(Objects.requireNonNull(at(node, path), () -> "nothing at " + List.of(path)));
    }

    static List<Object> list(Object node, Object... path) {
        Object found = Objects.requireNonNull(at(node, path), () -> "nothing at " + List.of(path));
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) found;
        return list;
    }

    static String str(Object node, Object... path) {
        Object found = at(node, path);
        return found == null ? null : found.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object node) {
        return (Map<String, Object>) node;
    }
}
