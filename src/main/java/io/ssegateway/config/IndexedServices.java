package io.ssegateway.config;

import io.micronaut.core.io.service.SoftServiceLoader;
import io.micronaut.core.optim.StaticOptimizations;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands Micronaut's service loading the listing of {@link MetaServiceIndex}, through the hook
 * Micronaut AOT uses for its precomputed service lists ({@link StaticOptimizations}, found by
 * {@link java.util.ServiceLoader} as {@code SoftServiceLoader} first loads).
 *
 * <p>Micronaut asks for services by name and any name must be answered, so the map makes the
 * loader of a service when it is first asked for. When the class path cannot be listed this way
 * (a jar inside a jar), the map is empty and Micronaut scans as it would without this.
 */
public final class IndexedServices implements StaticOptimizations.Loader<SoftServiceLoader.Optimizations> {
    @Override
    public SoftServiceLoader.Optimizations load() {
        ClassLoader classLoader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : IndexedServices.class.getClassLoader();
        return MetaServiceIndex.list(classLoader)
                .map(index -> new SoftServiceLoader.Optimizations(new Loaders(classLoader, index)))
                .orElseGet(() -> new SoftServiceLoader.Optimizations(Map.of()));
    }

    /** A loader for every service name, made on first use. */
    private static final class Loaders extends AbstractMap<String, SoftServiceLoader.StaticServiceLoader<?>> {
        private final ClassLoader classLoader;
        private final Map<String, Set<String>> index;
        private final Map<String, SoftServiceLoader.StaticServiceLoader<?>> made = new ConcurrentHashMap<>();

        Loaders(ClassLoader classLoader, Map<String, Set<String>> index) {
            this.classLoader = classLoader;
            this.index = index;
        }

        @Override
        public SoftServiceLoader.StaticServiceLoader<?> get(Object service) {
            if (!(service instanceof String name)) {
                return null;
            }
            return made.computeIfAbsent(name,
                    n -> new IndexedServiceLoader<>(classLoader, n, List.copyOf(index.getOrDefault(n, Set.of()))));
        }

        @Override
        public boolean containsKey(Object service) {
            return service instanceof String;
        }

        @Override
        public Set<Entry<String, SoftServiceLoader.StaticServiceLoader<?>>> entrySet() {
            return made.entrySet();
        }
    }
}
