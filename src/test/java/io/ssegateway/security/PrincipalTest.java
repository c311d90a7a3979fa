package io.ssegateway.security;

import io.ssegateway.core.Audience;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.PublishGrant;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrincipalTest {

    private static Namespace ns(String path) {
        return Namespace.parse(path);
    }

    private static Principal principal(Set<String> roles, List<Namespace> publish, List<Namespace> subscribe) {
        return new Principal("alice", roles, publish, subscribe, null);
    }

    @Test
    void publishClaimCoversDescendantsByWholeSegmentsOnly() {
        PublishGrant grant = principal(Set.of("publisher"), List.of(ns("/pets")), List.of()).publishGrant();

        assertTrue(grant.allows(ns("/pets")));
        assertTrue(grant.allows(ns("/pets/cats")));
        assertTrue(grant.allows(ns("/pets/cats/persian")));
        assertFalse(grant.allows(ns("/petshop")));
        assertFalse(grant.allows(ns("/")));
        assertFalse(grant.allows(ns("/toys/pets")));
    }

    @Test
    void subscribeClaimCoversDescendantsByWholeSegmentsOnly() {
        Principal p = principal(Set.of(), null, List.of(ns("/pets")));

        assertTrue(p.canSubscribe(ns("/pets/dogs")));
        assertFalse(p.canSubscribe(ns("/petshop")));
        assertFalse(p.canSubscribe(ns("/")));
    }

    @Test
    void withoutPublishClaimPublishingIsUnrestricted() {
        PublishGrant grant = principal(Set.of("publisher"), null, List.of()).publishGrant();

        assertTrue(grant.allows(Namespace.ROOT));
        assertTrue(grant.allows(ns("/anything/at/all")));
    }

    @Test
    void emptyPublishClaimAllowsNothing() {
        PublishGrant grant = principal(Set.of("publisher"), List.of(), List.of()).publishGrant();

        assertFalse(grant.allows(Namespace.ROOT));
        assertFalse(grant.allows(ns("/pets")));
    }

    @Test
    void onlyPublisherOrAdminRoleMayPublish() {
        assertTrue(principal(Set.of("publisher"), null, List.of()).canPublish());
        assertTrue(principal(Set.of("admin"), null, List.of()).canPublish());
        assertFalse(principal(Set.of("subscriber", "Publisher"), null, List.of()).canPublish());
        assertFalse(principal(Set.of(), null, List.of()).canPublish());
    }

    @Test
    void onlyAdminRoleIsAdmin() {
        assertTrue(principal(Set.of("admin"), null, List.of()).isAdmin());
        assertFalse(principal(Set.of("publisher"), null, List.of()).isAdmin());
    }

    @Test
    void audienceCarriesSubjectAndSubscribeGrants() {
        Audience audience = principal(Set.of(), null, List.of(ns("/a"), ns("/b/c"))).audience();

        assertEquals("alice", audience.subject());
        assertEquals(List.of(ns("/a"), ns("/b/c")), audience.grants());
        assertTrue(audience.grants(ns("/b/c/d")));
        assertFalse(audience.grants(ns("/b")));
    }
}
