package io.ssegateway.security;

import io.micronaut.core.annotation.Nullable;
import io.ssegateway.core.Namespace;

import java.util.List;

/**
 * A configured user who proved their password: what goes into the token {@code /login} issues.
 *
 * @param name the {@code sub} of the token
 * @param roles the {@code roles}
 * @param publish the {@code publish} namespaces; null for no claim (unrestricted)
 * @param subscribe the {@code subscribe} namespaces
 */
public record User(String name, List<String> roles, @Nullable List<Namespace> publish, List<Namespace> subscribe) {
    public User {
        roles = List.copyOf(roles);
        publish = publish == null ? null : List.copyOf(publish);
        subscribe = List.copyOf(subscribe);
    }
}
