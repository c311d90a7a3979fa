package io.ssegateway.status;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.security.rules.SecurityRule;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.core.Refusal;
import io.ssegateway.security.AccessRefusal;
import io.ssegateway.security.AdminView;
import io.ssegateway.security.Principal;
import io.ssegateway.security.TokenSource;
import io.ssegateway.security.Tokens;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /admin}: a page that shows this instance live (it reads {@code /status}) and can
 * publish a test event. It needs the admin role unless {@code SSE_ADMIN_PUBLIC=true}, like
 * {@code /status}.
 *
 * <p>A browser cannot set {@code Authorization} on a navigation, so the page is opened with
 * {@code ?access_token=}; the answer sets the {@code sse_token} cookie (HttpOnly, SameSite=Strict)
 * so that a reload stays signed in, and the page keeps the token for its own calls. Without a
 * valid token the answer is a sign-in form. The script and style sheet hold no data and are
 * served to anyone.
 *
 * <p>So the page is {@code @Secured} anonymous and checks the admin role itself: a refused
 * browser gets the sign-in form in HTML, with the status and reason the API would give, where
 * {@code @Secured(admin)} would answer it JSON.
 */
@Controller("/admin")
@Secured(SecurityRule.IS_ANONYMOUS)
public class AdminController {
    /**
     * Scripts and styles only from this origin, and data only from it: a namespace or id that
     * got into the page as markup could not run or send anything anywhere.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final boolean open;
    private final String page = resource("admin.html");
    private final String signIn = resource("sign-in.html");
    private final String script = resource("admin.js");
    private final String styles = resource("admin.css");

    public AdminController(GatewayConfig config) {
        this.open = config.adminPublic();
    }

    @Get(produces = MediaType.TEXT_HTML)
    @AdminView
    public HttpResponse<String> page(HttpRequest<?> request, @Nullable Authentication authentication) {
        if (!open && (authentication == null || !authentication.getRoles().contains(Principal.ROLE_ADMIN))) {
            // The status and headers of the refusal (WWW-Authenticate on a 401); a form for the body.
            Refusal refusal = Refusal.of(AccessRefusal.of(request, authentication, List.of(Principal.ROLE_ADMIN)));
            MutableHttpResponse<?> refused = HttpResponse.status(HttpStatus.valueOf(refusal.status()));
            refusal.headers().forEach(refused::header);
            return html(refused, signIn.replace("{{reason}}", escape(refusal.message())));
        }
        MutableHttpResponse<String> ok = html(HttpResponse.ok(), page);
        String token = request.getAttribute(SecurityFilter.TOKEN, String.class).orElse(null);
        if (!open && token != null && TokenSource.of(request).orElse(null) == TokenSource.QUERY) {
            ok.cookie(Cookie.of(Tokens.COOKIE, token)
                    .path("/")
                    .httpOnly(true)
                    .sameSite(SameSite.Strict)
                    .secure(isHttps(request)));
        }
        return ok;
    }

    @Get(value = "/admin.js", produces = "text/javascript")
    public HttpResponse<String> script() {
        return asset(script);
    }

    @Get(value = "/admin.css", produces = "text/css")
    public HttpResponse<String> styles() {
        return asset(styles);
    }

    private static MutableHttpResponse<String> html(MutableHttpResponse<?> response, String body) {
        return response.body(body)
                .contentType(MediaType.TEXT_HTML_TYPE)
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                // The URL may carry a token: never send it on, never keep the page.
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff");
    }

    private static HttpResponse<String> asset(String body) {
        return HttpResponse.ok(body)
                .header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff");
    }

    /** Behind a TLS-terminating proxy the request itself is plain HTTP. */
    private static boolean isHttps(HttpRequest<?> request) {
        return request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(String name) {
        try (InputStream in = AdminController.class.getResourceAsStream("/admin/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource admin/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
