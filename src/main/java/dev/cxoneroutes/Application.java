package dev.cxoneroutes;

import dev.cxoneroutes.routecheck.RouteCheck;
import org.apache.camel.main.Main;

/** Starts the service: Camel Main reads application.properties and routes/*.yaml from the working directory. */
public final class Application {

    /** Working-directory file first, so integration teams edit it without recompiling; the jar's copy fills gaps. */
    public static final String PROPERTY_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties;optional=true";

    private Application() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("check")) {
            // The route files checked without starting the service: README, "Changing routes safely".
            System.exit(RouteCheck.run(java.util.Arrays.asList(args).subList(1, args.length), System.out));
        }
        Main main = new Main(Application.class);
        main.setDefaultPropertyPlaceholderLocation(PROPERTY_LOCATIONS);
        int exitCode = main.run(args);
        // The embedded broker and WireMock leave non-daemon threads behind a failed start: exit explicitly.
        System.exit(exitCode);
    }
}
