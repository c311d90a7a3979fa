package io.ssegateway.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TokensTest {

    @Test
    void bearerHeaderWinsOverQueryParameterAndCookie() {
        assertEquals("h", Tokens.extract("Bearer h", "q", "sse_token=c"));
    }

    @Test
    void queryParameterWinsOverCookie() {
        assertEquals("q", Tokens.extract(null, "q", "sse_token=c"));
    }

    @Test
    void cookieIsUsedWhenNothingElseIsThere() {
        assertEquals("c", Tokens.extract(null, null, "theme=dark; sse_token=c; lang=en"));
    }

    @Test
    void bearerSchemeIsCaseInsensitiveAndSpacesAreTrimmed() {
        assertEquals("abc.def.ghi", Tokens.extract("  bearer   abc.def.ghi  ", null, null));
        assertEquals("abc", Tokens.extract("BEARER abc", null, null));
    }

    @Test
    void anotherAuthorizationSchemeIsPassedOver() {
        assertEquals("q", Tokens.extract("Basic YWxpY2U6c2VjcmV0", "q", null));
        assertNull(Tokens.extract("Basic YWxpY2U6c2VjcmV0", null, null));
        assertNull(Tokens.extract("Bearertoken", null, null));
    }

    @Test
    void emptyBearerFallsBackToTheOtherPlaces() {
        assertEquals("q", Tokens.extract("Bearer   ", "q", null));
        assertEquals("c", Tokens.extract("Bearer", " ", "sse_token=c"));
    }

    @Test
    void cookieNamesMatchExactly() {
        assertNull(Tokens.extract(null, null, "xsse_token=a; sse_token_old=b"));
        assertEquals("c", Tokens.extract(null, null, "sse_token_old=b; sse_token=c"));
    }

    @Test
    void quotedCookieValueIsUnquoted() {
        assertEquals("c", Tokens.extract(null, null, "sse_token=\"c\""));
    }

    @Test
    void nothingGivesNull() {
        assertNull(Tokens.extract(null, null, null));
        assertNull(Tokens.extract("", "", ""));
        assertNull(Tokens.extract(null, null, "sse_token="));
    }
}
