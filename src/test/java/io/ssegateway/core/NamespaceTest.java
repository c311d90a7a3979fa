package io.ssegateway.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamespaceTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/pets", "/pets/cats", "/a.b/c~d/e@f/g:h/i-j/K_L", "/pets/cats/", "/..a", "/a.."})
    void validPathsParse(String path) {
        Namespace n = Namespace.parse(path);
        assertTrue(n.path().startsWith("/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pets", "//", "/pets//cats", "/.", "/..", "/pets/../x", "/pets/./x", "/a b",
            "/a%2Fb", "/é", "/a\nb", "/a\rb", "/a\0b", "/a?b", "/a#b", "/a*"})
    void invalidPathsAreRejectedWithTheReason(String path) {
        GatewayException e = assertThrows(GatewayException.class, () -> Namespace.parse(path));
        assertEquals(Reason.INVALID_NAMESPACE, e.reason());
    }

    @Test
    void atMostSixteenSegments() {
        Namespace.parse("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16");
        assertThrows(GatewayException.class, () -> Namespace.parse("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17"));
    }

    @Test
    void atMost256Characters() {
        Namespace.parse("/" + "a".repeat(255));
        assertThrows(GatewayException.class, () -> Namespace.parse("/" + "a".repeat(256)));
    }

    @Test
    void rootIsOneValue() {
        assertSame(Namespace.ROOT, Namespace.parse("/"));
        assertEquals(List.of(), Namespace.ROOT.segments());
    }

    @Test
    void coversByWholeSegments() {
        Namespace pets = Namespace.parse("/pets");
        assertTrue(pets.covers(Namespace.parse("/pets")));
        assertTrue(pets.covers(Namespace.parse("/pets/cats")));
        assertTrue(Namespace.ROOT.covers(pets));
        assertFalse(pets.covers(Namespace.parse("/petshop")));
        assertFalse(Namespace.parse("/pets/cats").covers(pets));
    }

    @Test
    void trailingSlashIsTheSameNamespace() {
        assertEquals(Namespace.parse("/pets"), Namespace.parse("/pets/"));
    }
}
