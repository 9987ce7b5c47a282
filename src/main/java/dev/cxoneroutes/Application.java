package dev.cxoneroutes;

import dev.cxoneroutes.api.ApiErrorConfiguration;
import dev.cxoneroutes.batch.BatchErrorConfiguration;
import dev.cxoneroutes.batch.BatchLineRoutes;
import dev.cxoneroutes.bridge.BridgeRoutes;
import dev.cxoneroutes.config.ApiDocsWiring;
import dev.cxoneroutes.config.ServiceWiring;
import dev.cxoneroutes.cxone.CxoneErrorConfiguration;
import dev.cxoneroutes.cxone.CxoneRoutes;
import dev.cxoneroutes.handoff.HandoffRoutes;
import dev.cxoneroutes.jms.JmsErrorConfiguration;
import dev.cxoneroutes.results.ResultsErrorConfiguration;
import dev.cxoneroutes.routecheck.RouteCheck;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.main.Main;

/** Starts the service: Camel Main reads application.properties and routes/*.yaml from the working directory. */
public final class Application {

    /** Working-directory file first, so integration teams edit it without recompiling; the jar's copy fills gaps. */
    public static final String PROPERTY_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties;optional=true";

    /** The classes that bind the beans ({@code @Configuration}). */
    public static final List<Class<? extends CamelConfiguration>> CONFIGURATIONS =
            List.of(ServiceWiring.class, ApiDocsWiring.class);

    /** The Java routes and route configurations (the entry points are YAML, in routes/). */
    public static final List<Class<?>> ROUTES = List.of(
            CxoneErrorConfiguration.class,
            ApiErrorConfiguration.class,
            JmsErrorConfiguration.class,
            BatchErrorConfiguration.class,
            ResultsErrorConfiguration.class,
            CxoneRoutes.class,
            HandoffRoutes.class,
            BridgeRoutes.class,
            BatchLineRoutes.class);

    private Application() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("check")) {
            // The route files checked without starting the service: README, "Changing routes safely".
            System.exit(RouteCheck.run(java.util.Arrays.asList(args).subList(1, args.length), System.out));
        }
        int exitCode = newMain().run(args);
        // The embedded broker and WireMock leave non-daemon threads behind a failed start: exit explicitly.
        System.exit(exitCode);
    }

    /**
     * The service's Camel Main, with its configuration and route classes named rather than found by
     * a package scan: Camel scans a package by reading every entry of the jar it lies in, and
     * reading the 36,000 entries of the shaded jar took 1.1–1.5 s of the start (one core, before
     * anything else could run). {@code ApplicationClassesTest} fails when a class the scan would
     * find is missing here.
     */
    public static Main newMain() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(PROPERTY_LOCATIONS);
        CONFIGURATIONS.forEach(main.configure()::addConfiguration);
        main.configure().addRoutesBuilder(ROUTES.toArray(Class<?>[]::new));
        return main;
    }
}
