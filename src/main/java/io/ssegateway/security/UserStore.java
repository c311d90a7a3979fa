package io.ssegateway.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The users of {@code /login}, from {@link UserConfig}. Thread-safe and immutable.
 *
 * <p>{@link #authenticate} costs one bcrypt check whether or not the user exists: an unknown
 * name is checked against a dummy hash of the same cost, so the time of an answer does not tell
 * an attacker which user names are real. Passwords and hashes are never logged.
 */
@Singleton
public final class UserStore {
    /** Cost used for the dummy hash when no user is configured; the usual bcrypt default. */
    private static final int DEFAULT_COST = 10;

    /** Checks a password against a bcrypt hash; a seam so tests can see that the check ran. */
    @FunctionalInterface
    interface PasswordCheck {
        boolean matches(String password, String hash);
    }

    /**
     * bcrypt reads only the first 72 bytes of a password; longer ones are cut there, as htpasswd
     * and the other common implementations do, so their hashes keep working.
     */
    static final PasswordCheck BCRYPT = (password, hash) -> {
        try {
            return BCrypt.verifyer(null, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A))
                    .verify(password.toCharArray(), hash.getBytes(StandardCharsets.UTF_8))
                    .verified;
        } catch (RuntimeException e) {
            // A malformed hash is a refusal, never an error page that shows how far the check got.
            return false;
        }
    };

    private final Map<String, Entry> users = new HashMap<>();
    private final String dummyHash;
    private final PasswordCheck check;

    private record Entry(String hash, User user) {
    }

    @Inject
    public UserStore(List<UserConfig> configs) {
        this(configs, BCRYPT);
    }

    UserStore(List<UserConfig> configs, PasswordCheck check) {
        this.check = check;
        int cost = DEFAULT_COST;
        for (UserConfig c : configs) {
            users.put(c.name(), new Entry(c.passwordHash(), c.toUser()));
            cost = Math.max(cost, c.cost());
        }
        this.dummyHash = dummyHash(cost);
    }

    /** A hash of a random password nobody knows, at the cost of the most expensive real hash. */
    private static String dummyHash(int cost) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return BCrypt.withDefaults().hashToString(cost, HexFormat.of().formatHex(random).toCharArray());
    }

    /** The user when {@code username} exists and {@code password} is theirs; empty otherwise. */
    public Optional<User> authenticate(String username, String password) {
        Entry entry = username == null ? null : users.get(username);
        String pw = password == null ? "" : password;
        if (entry == null) {
            check.matches(pw, dummyHash);
            return Optional.empty();
        }
        return check.matches(pw, entry.hash()) ? Optional.of(entry.user()) : Optional.empty();
    }

    /** The number of configured users. */
    public int size() {
        return users.size();
    }
}
