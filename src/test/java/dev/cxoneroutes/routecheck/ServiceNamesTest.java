package dev.cxoneroutes.routecheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxoneroutes.testing.LiveService;
import dev.cxoneroutes.testing.LiveServiceTest;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;

/**
 * The route check's lists of what the service provides ({@link ServiceNames}) against a running
 * service, so the check can never pass a route the service would refuse, nor refuse a Java route's
 * endpoint that exists.
 */
class ServiceNamesTest extends LiveServiceTest {

    @RegisterExtension
    static final LiveService live = new LiveService();

    @Override
    protected LiveService live() {
        return live;
    }

    @Test
    void every_listed_bean_is_bound_in_the_running_service() {
        Set<String> bound =
                service.context().getRegistry().findByTypeWithName(Object.class).keySet();

        assertThat(bound).containsAll(ServiceNames.BEANS);
    }

    @Test
    void the_java_routes_endpoints_and_ids_are_the_listed_ones() throws IOException {
        Set<String> yamlRouteIds = new HashSet<>();
        for (RouteFile file : routeFiles()) {
            file.routeIds.forEach(id -> yamlRouteIds.add(id.name()));
        }
        Set<Route> javaRoutes = service.context().getRoutes().stream()
                .filter(route -> !yamlRouteIds.contains(route.getRouteId()))
                .collect(Collectors.toSet());

        Set<String> ids = javaRoutes.stream().map(Route::getRouteId).collect(Collectors.toCollection(TreeSet::new));
        Set<String> endpoints = javaRoutes.stream()
                .map(route -> RouteFile.internalEndpoint(route.getEndpoint().getEndpointUri()))
                .flatMap(java.util.Optional::stream)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(ids).containsExactlyInAnyOrderElementsOf(ServiceNames.JAVA_ROUTE_IDS);
        assertThat(endpoints).containsExactlyInAnyOrderElementsOf(ServiceNames.JAVA_ENDPOINTS);
    }

    @Test
    void the_java_route_configurations_are_the_listed_ones() throws IOException {
        Set<String> yamlConfigurations = new HashSet<>();
        for (RouteFile file : routeFiles()) {
            file.routeConfigurationsDefined.forEach(c -> yamlConfigurations.add(c.name()));
        }
        Set<String> running = ((ModelCamelContext) service.context())
                .getRouteConfigurationDefinitions().stream()
                        .map(RouteConfigurationDefinition::getId)
                        .filter(id -> !yamlConfigurations.contains(id))
                        .collect(Collectors.toSet());

        assertThat(running).containsExactlyInAnyOrderElementsOf(ServiceNames.JAVA_ROUTE_CONFIGURATIONS);
    }

    private static Set<RouteFile> routeFiles() throws IOException {
        Set<RouteFile> files = new HashSet<>();
        try (Stream<Path> listing = Files.list(Path.of("routes"))) {
            for (Path path : listing.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                    new Compose(LoadSettings.builder().build())
                            .composeReader(reader)
                            .ifPresent(root -> files.add(new RouteFile(path.toString(), root)));
                }
            }
        }
        return files;
    }
}
