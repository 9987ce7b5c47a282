package dev.cxoneroutes.routecheck;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * {@code java -jar cxone-routes.jar check [routes/]}: checks route files before they go live,
 * without starting the service (no broker, no HTTP server, no CXone). Each file must be YAML that
 * Camel's YAML DSL accepts, and every bean, {@code direct:}/{@code seda:} endpoint and route
 * configuration it names must exist; route ids must be unique. Problems are printed as
 * {@code file:line: problem}; the exit code is 0 when there are none, 1 when there are, 2 when
 * the arguments are wrong.
 */
public final class RouteCheck {

    private static final Pattern CAMEL_LINE = Pattern.compile("line (\\d+), column \\d+");

    private final PrintStream out;
    private final List<Problem> problems = new ArrayList<>();
    private CamelContext camel;

    private record Problem(String file, int line, String message) {}

    private RouteCheck(PrintStream out) {
        this.out = out;
    }

    /** Checks the route files in the directories or files named; {@code routes} when none is. */
    public static int run(List<String> arguments, PrintStream out) {
        return new RouteCheck(out).check(arguments.isEmpty() ? List.of("routes") : arguments);
    }

    private int check(List<String> arguments) {
        List<Path> files = new ArrayList<>();
        for (String argument : arguments) {
            Path path = Path.of(argument);
            if (Files.isDirectory(path)) {
                try (Stream<Path> listing = Files.list(path)) {
                    listing.filter(RouteCheck::isRouteFile).sorted().forEach(files::add);
                } catch (IOException e) {
                    out.println(argument + ": cannot list: " + e.getMessage());
                    return 2;
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                out.println(argument + ": no such file or directory");
                out.println(
                        "Usage: java -jar cxone-routes.jar check [ROUTES_DIRECTORY_OR_FILE ...]   (default: routes)");
                return 2;
            }
        }
        if (files.isEmpty()) {
            out.println(String.join(" ", arguments) + ": no *.yaml or *.yml route files found");
            return 2;
        }
        List<RouteFile> parsed = new ArrayList<>();
        for (Path file : files) {
            read(file).ifPresent(parsed::add);
        }
        crossCheck(parsed);
        // The Camel context is never started, so there is nothing to stop (stopping it would only log).
        return report(files.size(), parsed);
    }

    private static boolean isRouteFile(Path path) {
        String name = path.getFileName().toString();
        return Files.isRegularFile(path) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    /** The file as YAML nodes (with lines), then as Camel's YAML DSL reads it; empty if either fails. */
    private Optional<RouteFile> read(Path file) {
        String shown = file.toString();
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Compose(LoadSettings.builder().setLabel(shown).build())
                    .composeReader(reader)
                    .orElse(null);
        } catch (MarkedYamlEngineException e) {
            problems.add(yamlProblem(shown, e));
            return Optional.empty();
        } catch (YamlEngineException | IOException e) {
            problems.add(new Problem(shown, 0, "cannot read: " + e.getMessage()));
            return Optional.empty();
        }
        if (root == null) {
            problems.add(new Problem(shown, 1, "the file is empty"));
            return Optional.empty();
        }
        if (!loadsInCamel(file, shown)) {
            return Optional.empty();
        }
        return Optional.of(new RouteFile(shown, root));
    }

    /** Where the broken construct starts (e.g. an unclosed {), which is often before where the parser gave up. */
    private static Problem yamlProblem(String shown, MarkedYamlEngineException e) {
        int problemLine = e.getProblemMark().map(mark -> mark.getLine() + 1).orElse(0);
        Optional<Integer> contextLine = e.getContextMark().map(mark -> mark.getLine() + 1);
        if (e.getContext() == null || contextLine.isEmpty()) {
            return new Problem(shown, problemLine, "invalid YAML: " + e.getProblem());
        }
        return new Problem(
                shown,
                contextLine.get(),
                "invalid YAML: " + e.getContext() + ", " + e.getProblem() + " (line " + problemLine + ")");
    }

    /** Camel's own YAML DSL loader, into a context that is never started: catches unknown or misplaced keys. */
    private boolean loadsInCamel(Path file, String shown) {
        try {
            if (camel == null) {
                camel = new DefaultCamelContext();
            }
            PluginHelper.getRoutesLoader(camel)
                    .loadRoutes(ResourceHelper.resolveResource(camel, "file:" + file.toAbsolutePath()));
            return true;
        } catch (Exception e) {
            problems.add(camelProblem(shown, e));
            return false;
        }
    }

    /** The innermost message that names a line, as {@code file:line: message}. */
    private static Problem camelProblem(String shown, Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            Matcher at = CAMEL_LINE.matcher(message);
            if (at.find()) {
                String first = message.lines().findFirst().orElse(message).trim();
                return new Problem(shown, Integer.parseInt(at.group(1)), "Camel cannot load the route: " + first);
            }
        }
        return new Problem(shown, 0, "Camel cannot load the route: " + failure.getMessage());
    }

    private void crossCheck(List<RouteFile> files) {
        Set<String> beans = new HashSet<>(ServiceNames.BEANS);
        beans.addAll(propertiesBeans());
        Map<String, String> consumed = new HashMap<>();
        ServiceNames.JAVA_ENDPOINTS.forEach(endpoint -> consumed.put(endpoint, "a Java route builder"));
        Map<String, String> routeIds = new HashMap<>();
        ServiceNames.JAVA_ROUTE_IDS.forEach(id -> routeIds.put(id, "a Java route builder"));
        Set<String> configurations = new HashSet<>(ServiceNames.JAVA_ROUTE_CONFIGURATIONS);

        for (RouteFile file : files) {
            file.beansDefined.forEach(bean -> beans.add(bean.name()));
            file.routeConfigurationsDefined.forEach(c -> configurations.add(c.name()));
            for (RouteFile.Named endpoint : file.endpointsConsumed) {
                String earlier = consumed.putIfAbsent(endpoint.name(), where(file, endpoint));
                if (earlier != null) {
                    problems.add(new Problem(
                            file.path,
                            endpoint.line(),
                            "'" + endpoint.name() + "' is already consumed by " + earlier
                                    + " (an endpoint has one consumer)"));
                }
            }
            for (RouteFile.Named id : file.routeIds) {
                String earlier = routeIds.putIfAbsent(id.name(), where(file, id));
                if (earlier != null) {
                    problems.add(new Problem(
                            file.path, id.line(), "route id '" + id.name() + "' is already used by " + earlier));
                }
            }
        }
        for (RouteFile file : files) {
            for (RouteFile.Named bean : file.beanRefs) {
                if (!beans.contains(bean.name())) {
                    problems.add(new Problem(
                            file.path, bean.line(), "bean '" + bean.name() + "' is not bound by the service"));
                }
            }
            for (RouteFile.Named endpoint : file.endpointsSent) {
                if (!consumed.containsKey(endpoint.name())) {
                    problems.add(new Problem(
                            file.path,
                            endpoint.line(),
                            "'" + endpoint.name() + "' has no route consuming it (no 'from: " + endpoint.name()
                                    + "' in the route files or the Java routes)"));
                }
            }
            for (RouteFile.Named configuration : file.routeConfigurationRefs) {
                if (!configurations.contains(configuration.name())) {
                    problems.add(new Problem(
                            file.path,
                            configuration.line(),
                            "route configuration '" + configuration.name() + "' does not exist (known: "
                                    + String.join(
                                            ", ",
                                            configurations.stream().sorted().toList()) + ")"));
                }
            }
        }
    }

    private static String where(RouteFile file, RouteFile.Named named) {
        return file.path + ":" + named.line();
    }

    /** Beans an integration team declares as {@code camel.beans.NAME…} in the working directory's application.properties. */
    private static Set<String> propertiesBeans() {
        Path file = Path.of("application.properties");
        Set<String> names = new HashSet<>();
        if (!Files.isRegularFile(file)) {
            return names;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            return names;
        }
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("camel.beans.")) {
                names.add(key.substring("camel.beans.".length()).split("\\.", 2)[0]);
            }
        }
        return names;
    }

    private int report(int fileCount, List<RouteFile> files) {
        problems.sort(Comparator.comparing(Problem::file).thenComparingInt(Problem::line));
        for (Problem problem : problems) {
            out.println(problem.file() + ":" + problem.line() + ": " + problem.message());
        }
        if (!problems.isEmpty()) {
            long broken = problems.stream().map(Problem::file).distinct().count();
            out.println(
                    "FAILED: " + problems.size() + " problem(s) in " + broken + " of " + fileCount + " route file(s)");
            return 1;
        }
        int routes = files.stream().mapToInt(f -> f.routeIds.size()).sum();
        out.println("OK: " + fileCount + " route file(s), " + routes
                + " route(s): YAML, beans, direct:/seda: endpoints, route configurations and route ids check out");
        return 0;
    }
}
