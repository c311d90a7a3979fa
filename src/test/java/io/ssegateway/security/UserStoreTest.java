package io.ssegateway.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.micronaut.context.exceptions.ConfigurationException;
import io.ssegateway.core.Namespace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserStoreTest {
    /** The lowest bcrypt cost keeps the tests fast; production hashes use 10 or more. */
    private static final int COST = 4;

    static String hash(BCrypt.Version version, String password) {
        return BCrypt.with(version).hashToString(COST, password.toCharArray());
    }

    private static UserConfig alice() {
        return new UserConfig("alice", hash(BCrypt.Version.VERSION_2A, "wonderland"), List.of("publisher"),
                List.of("/pets"), List.of("/"));
    }

    /** Records every hash a password was checked against, then checks it for real. */
    private static final class RecordingCheck implements UserStore.PasswordCheck {
        final List<String> hashes = new ArrayList<>();

        @Override
        public boolean matches(String password, String hash) {
            hashes.add(hash);
            return UserStore.BCRYPT.matches(password, hash);
        }
    }

    @Test
    void rightPasswordAuthenticatesWithTheConfiguredClaims() {
        User alice = new UserStore(List.of(alice())).authenticate("alice", "wonderland").orElseThrow();

        assertEquals("alice", alice.name());
        assertEquals(List.of("publisher"), alice.roles());
        assertEquals(List.of(Namespace.parse("/pets")), alice.publish());
        assertEquals(List.of(Namespace.ROOT), alice.subscribe());
    }

    @Test
    void wrongPasswordIsRefused() {
        UserStore store = new UserStore(List.of(alice()));

        assertTrue(store.authenticate("alice", "Wonderland").isEmpty());
        assertTrue(store.authenticate("alice", "").isEmpty());
        assertTrue(store.authenticate("alice", null).isEmpty());
        assertTrue(store.authenticate("Alice", "wonderland").isEmpty());
    }

    @Test
    void unknownUserStillCostsOneBcryptCheckAtTheSameCost() {
        RecordingCheck check = new RecordingCheck();
        UserStore store = new UserStore(List.of(alice()), check);

        assertTrue(store.authenticate("mallory", "wonderland").isEmpty());
        assertTrue(store.authenticate(null, null).isEmpty());

        assertEquals(2, check.hashes.size(), "bcrypt ran for each unknown user");
        for (String dummy : check.hashes) {
            assertTrue(dummy.startsWith("$2a$10$"), "dummy at the cost of the dearest real hash (10 at least): " + dummy);
            assertFalse(dummy.equals(alice().passwordHash()));
        }
    }

    @Test
    void knownUserCostsExactlyOneBcryptCheckToo() {
        RecordingCheck check = new RecordingCheck();
        UserStore store = new UserStore(List.of(alice()), check);

        store.authenticate("alice", "wrong");

        assertEquals(1, check.hashes.size());
    }

    @Test
    void hashesInEveryBcryptVersionAreAccepted() {
        for (BCrypt.Version version : List.of(BCrypt.Version.VERSION_2A, BCrypt.Version.VERSION_2B, BCrypt.Version.VERSION_2Y)) {
            UserConfig user = new UserConfig("u", hash(version, "pw"), null, null, null);
            assertTrue(new UserStore(List.of(user)).authenticate("u", "pw").isPresent(), version.toString());
        }
    }

    @Test
    void passwordsLongerThan72BytesAreCutAsBcryptDoes() {
        String longPassword = "p".repeat(72);
        UserConfig user = new UserConfig("u", hash(BCrypt.Version.VERSION_2A, longPassword), null, null, null);

        assertTrue(new UserStore(List.of(user)).authenticate("u", longPassword + "ignored").isPresent());
    }

    @Test
    void userWithoutPublishClaimMayPublishAnywhere() {
        UserConfig user = new UserConfig("u", hash(BCrypt.Version.VERSION_2A, "pw"), List.of("publisher"), null, null);

        User u = new UserStore(List.of(user)).authenticate("u", "pw").orElseThrow();

        assertNull(u.publish());
        assertEquals(List.of(), u.subscribe());
    }

    @Test
    void hashThatIsNotBcryptFailsAtStartupWithoutShowingIt() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new UserConfig("bob", "plaintext-password", null, null, null));

        assertTrue(e.getMessage().contains("sse.users.bob.password-hash"));
        assertFalse(e.getMessage().contains("plaintext-password"));
    }

    @Test
    void invalidNamespaceInAUserFailsAtStartup() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new UserConfig("bob", hash(BCrypt.Version.VERSION_2A, "pw"), null, List.of("/pets/.."), null));

        assertTrue(e.getMessage().contains("sse.users.bob.publish"), e.getMessage());
    }

    @Test
    void theHashIsNeverPrinted() {
        UserConfig alice = alice();

        assertFalse(alice.toString().contains(alice.passwordHash()));
    }
}
