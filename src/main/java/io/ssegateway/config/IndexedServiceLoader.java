package io.ssegateway.config;

import io.micronaut.core.io.service.SoftServiceLoader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The implementations of one service that Micronaut's {@link SoftServiceLoader} finds, from the
 * listing {@link MetaServiceIndex} made: those named in {@code META-INF/services/<service>}
 * files, then those under {@code META-INF/micronaut/<service>/}, each made with its public
 * no-argument constructor; one whose classes are missing from the class path is left out
 * (a bean definition of a module that is not there), as Micronaut's own scan leaves it out.
 */
final class IndexedServiceLoader<S> implements SoftServiceLoader.StaticServiceLoader<S> {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();
    private static final MethodType NO_ARGUMENTS = MethodType.methodType(void.class);

    private final ClassLoader classLoader;
    private final String service;
    private final Collection<String> micronautServices;

    IndexedServiceLoader(ClassLoader classLoader, String service, Collection<String> micronautServices) {
        this.classLoader = classLoader;
        this.service = service;
        this.micronautServices = micronautServices;
    }

    /** For iterating: each definition makes its service when loaded, as Micronaut's do. */
    @Override
    public Stream<SoftServiceLoader.StaticDefinition<S>> findAll(Predicate<String> condition) {
        List<SoftServiceLoader.StaticDefinition<S>> found = new ArrayList<>();
        for (String name : names(condition)) {
            try {
                Class<?> type = Class.forName(name, false, classLoader);
                found.add(SoftServiceLoader.StaticDefinition.of(name, () -> create(type)));
            } catch (NoClassDefFoundError | ClassNotFoundException e) {
                // not on the class path: not a service here
            }
        }
        return found.stream();
    }

    /** For collecting: every service made, those that cannot be made here left out. */
    @Override
    public List<S> load(Predicate<String> condition, Predicate<S> predicate) {
        List<S> services = new ArrayList<>();
        for (String name : names(condition)) {
            try {
                S service = create(Class.forName(name, false, classLoader));
                if (predicate == null || predicate.test(service)) {
                    services.add(service);
                }
            } catch (NoClassDefFoundError | ClassNotFoundException | MissingConstructor e) {
                // a module that is not there, or not a class Micronaut could make either
            }
        }
        return services;
    }

    private List<String> names(Predicate<String> condition) {
        return condition == null ? names() : names().stream().filter(condition).toList();
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> files = classLoader.getResources("META-INF/services/" + service);
            while (files.hasMoreElements()) {
                names.addAll(standardNames(files.nextElement()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the implementations of " + service, e);
        }
        names.addAll(micronautServices);
        return names;
    }

    /** A {@link java.util.ServiceLoader} file: one class name a line, {@code #} starts a comment. */
    private static List<String> standardNames(URL file) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
            return reader.lines()
                    .map(line -> line.indexOf('#') == -1 ? line : line.substring(0, line.indexOf('#')))
                    .map(String::trim)
                    .filter(line -> !line.isEmpty())
                    .distinct()
                    .toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static <S> S create(Class<?> type) {
        try {
            return (S) Objects.requireNonNull(LOOKUP.findConstructor(type, NO_ARGUMENTS).invoke());
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new MissingConstructor(e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create " + type.getName(), e);
        }
    }

    /** No public constructor without arguments: Micronaut's own scan skips such a class too. */
    private static final class MissingConstructor extends RuntimeException {
        MissingConstructor(ReflectiveOperationException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
