package io.ssegateway.security;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One user who may get a token from {@code /login}, configured as {@code sse.users.<name>.*}:
 *
 * <pre>
 * sse:
 *   users:
 *     alice:
 *       password-hash: "$2a$10$..."   # bcrypt: htpasswd -nbBC 10 alice secret
 *       roles: [publisher]
 *       publish: ["/pets"]           # leave out to allow every namespace
 *       subscribe: ["/"]
 * </pre>
 *
 * Checked when built: a user with a hash that is not bcrypt or an invalid namespace stops
 * startup, with a message that names the user but never shows the hash.
 *
 * @param name the user name, from the key under {@code sse.users}
 * @param passwordHash a bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$})
 * @param roles the {@code roles} claim of the user's tokens
 * @param publish the {@code publish} claim; null leaves it out, which does not restrict
 * @param subscribe the {@code subscribe} claim
 */
@EachProperty("sse.users")
public record UserConfig(
        @Parameter String name,
        String passwordHash,
        @Nullable List<String> roles,
        @Nullable List<String> publish,
        @Nullable List<String> subscribe) {

    /** Modular crypt format of bcrypt: version, two-digit cost, 53 characters of salt and hash. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");

    static final int MIN_COST = 4;
    static final int MAX_COST = 31;

    public UserConfig {
        if (passwordHash == null || !BCRYPT.matcher(passwordHash).matches()) {
            throw new ConfigurationException("sse.users." + name + ".password-hash must be a bcrypt hash ($2a$, $2b$ or $2y$)");
        }
        int cost = Integer.parseInt(passwordHash.substring(4, 6));
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new ConfigurationException("sse.users." + name + ".password-hash has cost " + cost + "; bcrypt allows "
                    + MIN_COST + " to " + MAX_COST);
        }
        roles = roles == null ? List.of() : List.copyOf(roles);
        publish = publish == null ? null : List.copyOf(publish);
        subscribe = subscribe == null ? List.of() : List.copyOf(subscribe);
        namespaces(name, "publish", publish);
        namespaces(name, "subscribe", subscribe);
    }

    /** The bcrypt cost factor of the hash. */
    public int cost() {
        return Integer.parseInt(passwordHash.substring(4, 6));
    }

    /** The user's claims, without the hash. */
    public User toUser() {
        return new User(name, roles, namespaces(name, "publish", publish), namespaces(name, "subscribe", subscribe));
    }

    private static List<Namespace> namespaces(String user, String claim, List<String> paths) {
        if (paths == null) {
            return null;
        }
        try {
            return paths.stream().map(Namespace::parse).toList();
        } catch (GatewayException e) {
            throw new ConfigurationException("sse.users." + user + "." + claim + ": " + e.getMessage());
        }
    }

    /** Records print every component; the hash must not reach a log that way. */
    @Override
    public String toString() {
        return "UserConfig[name=" + name + ", roles=" + roles + ", publish=" + publish + ", subscribe=" + subscribe + "]";
    }
}
