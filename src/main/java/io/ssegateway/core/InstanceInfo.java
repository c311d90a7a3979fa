package io.ssegateway.core;

import java.security.SecureRandom;

/**
 * What one gateway instance reports to the others: its id and how many clients it serves.
 *
 * @param id unique per running process
 * @param streams open SSE streams on every endpoint
 */
public record InstanceInfo(String id, int streams) {
    private static final int MAX_HOST_PART = 40;

    /** The configured id ({@code sse.instance-id}) when there is one, else a {@link #newId() new} one. */
    public static String configuredOrNewId(String configured) {
        return configured == null || configured.isBlank() ? newId() : configured;
    }

    /**
     * A new instance id: the host name (a pod name on Kubernetes) when the environment gives
     * one, and a random suffix, since a restarted process must not be taken for the old one.
     */
    public static String newId() {
        String host = System.getenv("HOSTNAME");
        StringBuilder id = new StringBuilder();
        if (host != null) {
            for (int i = 0; i < host.length() && id.length() < MAX_HOST_PART; i++) {
                char c = host.charAt(i);
                if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.') {
                    id.append(c);
                }
            }
        }
        if (id.length() == 0) {
            id.append("sse");
        }
        SecureRandom random = new SecureRandom();
        id.append('-');
        for (int i = 0; i < 6; i++) {
            id.append(Character.forDigit(random.nextInt(36), 36));
        }
        return id.toString();
    }
}
