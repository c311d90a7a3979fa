package io.ssegateway.config;

import io.micronaut.core.io.service.SoftServiceLoader;
import io.micronaut.core.optim.StaticOptimizations;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Micronaut finds the listing, and it holds the gateway's own bean definitions. */
class IndexedServicesTest {
    @Test
    void registeredForMicronautsStaticOptimizations() {
        assertTrue(ServiceLoader.load(StaticOptimizations.Loader.class).stream()
                .anyMatch(provider -> provider.type() == IndexedServices.class));
    }

    @Test
    void everyServiceNameIsAnsweredAndTheBeanDefinitionsIncludeTheGatewaysOwn() {
        var loaders = new IndexedServices().load().getServiceLoaders();
        assertTrue(loaders.containsKey("any.Service"));
        SoftServiceLoader.StaticServiceLoader<?> definitions = loaders.get("io.micronaut.inject.BeanDefinitionReference");
        assertTrue(definitions.findAll(name -> true)
                .anyMatch(definition -> definition.getName().equals("io.ssegateway.config.$HistoryConfig$Definition")));
    }
}
