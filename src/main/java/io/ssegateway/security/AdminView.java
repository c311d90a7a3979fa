package io.ssegateway.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a route that shows this instance to an admin ({@code /status}, {@code /admin}). Two
 * things hold for such routes alone:
 * <ul>
 *   <li>the {@code sse_token} cookie counts as a token ({@link RequestTokenReader}). A cookie
 *       is ambient authority: a browser sends it with any request a foreign page makes, so on a
 *       publish route it would let that page publish as the user (CSRF). A view only reads.</li>
 *   <li>{@code sse.admin-public} ({@code SSE_ADMIN_PUBLIC=true}) opens it to anyone
 *       ({@link AdminPublicRule}).</li>
 * </ul>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AdminView {
}
