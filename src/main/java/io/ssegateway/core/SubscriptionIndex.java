package io.ssegateway.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A trie over namespace segments: each node holds the subscriptions whose topic is that node.
 * Matching an event walks from the root down each of its namespaces, so the cost is the depth
 * of the namespace plus the subscribers found, whatever the number of topics in use.
 *
 * <p>Reads (matching) take no lock and see arrays that are replaced, never changed, on write;
 * writes (subscribe, unsubscribe) are serialised on the index. Each executor has an index of
 * its own ({@link Fanout}), so matching runs on the thread that owns the subscriptions.
 */
final class SubscriptionIndex {
    private static final Subscription[] NONE = new Subscription[0];

    private static final class Node {
        final Node parent;
        final String segment;
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>();
        volatile Subscription[] subscribers = NONE;

        Node(Node parent, String segment) {
            this.parent = parent;
            this.segment = segment;
        }
    }

    private final Node root = new Node(null, "");
    private int size;

    synchronized void add(Subscription s) {
        for (Namespace topic : s.topics()) {
            Node node = root;
            for (String segment : topic.segments()) {
                Node parent = node;
                node = parent.children.computeIfAbsent(segment, k -> new Node(parent, k));
            }
            Subscription[] old = node.subscribers;
            Subscription[] next = Arrays.copyOf(old, old.length + 1);
            next[old.length] = s;
            node.subscribers = next;
        }
        size++;
    }

    synchronized boolean remove(Subscription s) {
        boolean found = false;
        for (Namespace topic : s.topics()) {
            Node node = find(topic);
            if (node == null) {
                continue;
            }
            Subscription[] old = node.subscribers;
            int at = -1;
            for (int i = 0; i < old.length; i++) {
                if (old[i] == s) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                continue;
            }
            found = true;
            Subscription[] next = new Subscription[old.length - 1];
            System.arraycopy(old, 0, next, 0, at);
            System.arraycopy(old, at + 1, next, at, old.length - at - 1);
            node.subscribers = next.length == 0 ? NONE : next;
            prune(node);
        }
        if (found) {
            size--;
        }
        return found;
    }

    private void prune(Node node) {
        while (node.parent != null && node.subscribers.length == 0 && node.children.isEmpty()) {
            node.parent.children.remove(node.segment, node);
            node = node.parent;
        }
    }

    private Node find(Namespace topic) {
        Node node = root;
        for (String segment : topic.segments()) {
            node = node.children.get(segment);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /**
     * Calls {@code action} once for each subscription that wants the event. {@code mark} must be
     * new for every event; it is what makes a subscription that matches through several topics
     * or namespaces receive the event once. One thread at a time: the executor of the index.
     */
    void match(Event event, long mark, Consumer<Subscription> action) {
        for (Namespace namespace : event.namespaces()) {
            Node node = root;
            visit(node, event, mark, action);
            for (String segment : namespace.segments()) {
                node = node.children.get(segment);
                if (node == null) {
                    break;
                }
                visit(node, event, mark, action);
            }
        }
    }

    private static void visit(Node node, Event event, long mark, Consumer<Subscription> action) {
        for (Subscription s : node.subscribers) {
            if (s.mark != mark) {
                s.mark = mark;
                if (s.wantsMatched(event)) {
                    action.accept(s);
                }
            }
        }
    }

    synchronized int size() {
        return size;
    }

    /** Every subscription, each once. */
    synchronized List<Subscription> all() {
        List<Subscription> out = new ArrayList<>();
        java.util.Set<Subscription> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        collect(root, out, seen);
        return out;
    }

    private void collect(Node node, List<Subscription> out, java.util.Set<Subscription> seen) {
        for (Subscription s : node.subscribers) {
            if (seen.add(s)) {
                out.add(s);
            }
        }
        for (Node child : node.children.values()) {
            collect(child, out, seen);
        }
    }

    /** Subscriptions per topic, by path. */
    synchronized Map<String, Integer> countsByTopic() {
        Map<String, Integer> counts = new TreeMap<>();
        count(root, "", counts);
        return counts;
    }

    private void count(Node node, String path, Map<String, Integer> counts) {
        if (node.subscribers.length > 0) {
            counts.put(path.isEmpty() ? "/" : path, node.subscribers.length);
        }
        for (Node child : node.children.values()) {
            count(child, path + "/" + child.segment, counts);
        }
    }
}
