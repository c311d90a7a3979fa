package io.ssegateway.security;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;

/**
 * Refuses to start with a Micronaut Security setting the gateway cannot honour, in one line that
 * names it. A refusal, not a warning, because each would change who gets in without a sign:
 * <ul>
 *   <li>{@value #ENABLED}{@code =false} removes the filter that {@code @Secured} relies on, and with
 *   it every check of the HTTP API: {@code /broadcast}, {@code /status} and {@code /admin} would
 *   answer anyone, while the streams (checked by the gateway itself) still asked for tokens;</li>
 *   <li>{@value #ROLES_NAME} and {@value #NAME_KEY} rename the claims in the tokens {@code /login}
 *   issues, while every token is read for {@code roles} and {@code sub} ({@link TokenClaims}), as
 *   the identity providers' tokens are: a user who logged in would lose their roles.</li>
 * </ul>
 */
@Context
final class SecuritySettingsRefusal {
    static final String ENABLED = "micronaut.security.enabled";
    static final String ROLES_NAME = "micronaut.security.token.roles-name";
    static final String NAME_KEY = "micronaut.security.token.name-key";

    SecuritySettingsRefusal(Environment environment) {
        if (!environment.getProperty(ENABLED, Boolean.class).orElse(true)) {
            throw new ConfigurationException(ENABLED + "=false would serve the HTTP API without any token check;"
                    + " remove it (SSE_ADMIN_PUBLIC=true opens /status and /admin on purpose)");
        }
        claimName(environment, ROLES_NAME, TokenClaims.ROLES);
        claimName(environment, NAME_KEY, TokenClaims.SUBJECT);
    }

    private static void claimName(Environment environment, String setting, String claim) {
        String name = environment.getProperty(setting, String.class).orElse(claim);
        if (!name.equals(claim)) {
            throw new ConfigurationException(setting + "=" + name + " is not supported: tokens are read for the claim '"
                    + claim + "'; remove the setting");
        }
    }
}
