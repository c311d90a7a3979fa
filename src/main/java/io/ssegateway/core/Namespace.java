package io.ssegateway.core;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A validated namespace path such as {@code /}, {@code /pets} or {@code /pets/cats}.
 *
 * <p>Once built it is trusted everywhere: it never holds an empty segment, {@code .} or
 * {@code ..}, a character outside the segment alphabet, or more than the bounds below. That is
 * what keeps it safe to use in Redis key and channel names and in log lines.
 */
public final class Namespace implements Comparable<Namespace> {
    /** Bounds keep keys, channels and the subscription trie small whatever a client sends. */
    public static final int MAX_SEGMENTS = 16;
    public static final int MAX_LENGTH = 256;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~@:-]+");

    public static final Namespace ROOT = new Namespace("/", List.of());

    private final String path;
    private final List<String> segments;

    private Namespace(String path, List<String> segments) {
        this.path = path;
        this.segments = segments;
    }

    /** Parses a path that must start with {@code /}; a single trailing slash is tolerated. */
    public static Namespace parse(String path) {
        if (path == null || path.isEmpty()) {
            throw invalid("namespace is empty");
        }
        if (path.length() > MAX_LENGTH) {
            throw invalid("namespace is longer than " + MAX_LENGTH + " characters");
        }
        if (path.charAt(0) != '/') {
            throw invalid("namespace must start with '/'");
        }
        if (path.equals("/")) {
            return ROOT;
        }
        String body = path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1);
        return fromSegments(body.split("/", -1));
    }

    /** Builds from segments, each checked as {@link #parse} would. */
    public static Namespace fromSegments(String... parts) {
        if (parts.length == 0) {
            return ROOT;
        }
        if (parts.length > MAX_SEGMENTS) {
            throw invalid("namespace has more than " + MAX_SEGMENTS + " segments");
        }
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            if (part.isEmpty()) {
                throw invalid("namespace has an empty segment");
            }
            if (part.equals(".") || part.equals("..")) {
                throw invalid("namespace segment '" + part + "' is not allowed");
            }
            if (!SEGMENT.matcher(part).matches()) {
                throw invalid("namespace segment has a character outside [A-Za-z0-9._~@:-]");
            }
            path.append('/').append(part);
        }
        if (path.length() > MAX_LENGTH) {
            throw invalid("namespace is longer than " + MAX_LENGTH + " characters");
        }
        return new Namespace(path.toString(), List.of(parts));
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(Reason.INVALID_NAMESPACE, message);
    }

    public String path() {
        return path;
    }

    public List<String> segments() {
        return segments;
    }

    public int depth() {
        return segments.size();
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /**
     * True when this namespace is {@code other} or one of its ancestors, by whole segments:
     * {@code /pets} covers {@code /pets/cats} but not {@code /petshop}.
     */
    public boolean covers(Namespace other) {
        if (other.segments.size() < segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            if (!segments.get(i).equals(other.segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(Namespace o) {
        return path.compareTo(o.path);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Namespace n && n.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
