package dev.cxoneroutes.routecheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The route check on the real route files and on broken copies of them, without a service. */
class RouteCheckTest {

    @TempDir
    Path routes;

    final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void copyTheRouteFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void every_route_file_of_the_service_passes() throws IOException {
        int exit = check("routes/");

        long files;
        try (Stream<Path> listing = Files.list(Path.of("routes"))) {
            files = listing.filter(p -> p.toString().endsWith(".yaml")).count();
        }
        assertThat(exit).as(output()).isZero();
        assertThat(output().lines()).singleElement().asString().startsWith("OK: " + files + " route file(s)");
    }

    @Test
    void an_unknown_bean_is_named_with_its_file_and_line() throws IOException {
        replace("bridge-http.camel.yaml", "{ref: answerWriter, method: write}", "{ref: answerWritr, method: write}");

        assertThat(check(routes.toString())).isEqualTo(1);
        assertThat(output())
                .contains(routes.resolve("bridge-http.camel.yaml") + ":"
                        + lineOf("bridge-http.camel.yaml", "answerWritr")
                        + ": bean 'answerWritr' is not bound by the service");
    }

    @Test
    void unknown_beans_in_process_method_and_executor_references_are_found() throws IOException {
        Files.writeString(
                routes.resolve("extra.camel.yaml"),
                """
                - route:
                    id: extra-probe
                    from:
                      uri: direct:extra-probe
                      steps:
                        - process: {ref: noSuchProcessor}
                        - setBody: {method: {ref: noSuchMethodBean, method: go}}
                        - split:
                            tokenize: ","
                            executorService: noSuchPool
                            steps:
                              - to: bean:noSuchEndpointBean?method=x
                """);

        assertThat(check(routes.toString())).isEqualTo(1);
        String file = routes.resolve("extra.camel.yaml").toString();
        assertThat(output())
                .contains(file + ":6: bean 'noSuchProcessor' is not bound by the service")
                .contains(file + ":7: bean 'noSuchMethodBean' is not bound by the service")
                .contains(file + ":10: bean 'noSuchPool' is not bound by the service")
                .contains(file + ":12: bean 'noSuchEndpointBean' is not bound by the service");
    }

    @Test
    void a_direct_endpoint_no_route_consumes_is_named() throws IOException {
        replace("bridge-jms.camel.yaml", "to: direct:bridge-call-cxone", "to: direct:bridge-call-cxon");

        assertThat(check(routes.toString())).isEqualTo(1);
        assertThat(output())
                .contains(routes.resolve("bridge-jms.camel.yaml") + ":"
                        + lineOf("bridge-jms.camel.yaml", "direct:bridge-call-cxon")
                        + ": 'direct:bridge-call-cxon' has no route consuming it");
    }

    @Test
    void direct_endpoints_of_java_routes_and_of_other_files_count_as_consumed() throws IOException {
        Files.writeString(
                routes.resolve("extra.camel.yaml"),
                """
                - route:
                    id: extra-uses-others
                    from:
                      uri: timer:x
                      steps:
                        - to: direct:handoff-create-guest
                        - to: {uri: direct:results-publish}
                        - wireTap: {uri: "direct:results-audit"}
                """);

        assertThat(check(routes.toString())).as(output()).isZero();
    }

    @Test
    void an_unknown_route_configuration_is_named() throws IOException {
        replace("metrics-summary.camel.yaml", "routeConfigurationId: api-errors", "routeConfigurationId: api-error");

        assertThat(check(routes.toString())).isEqualTo(1);
        assertThat(output())
                .contains(routes.resolve("metrics-summary.camel.yaml") + ":"
                        + lineOf("metrics-summary.camel.yaml", "api-error")
                        + ": route configuration 'api-error' does not exist");
    }

    @Test
    void invalid_yaml_is_named_where_the_broken_construct_starts() throws IOException {
        replace("ivr-handoff.camel.yaml", "{ref: answerWriter, method: write}", "{ref: answerWriter, method: write");

        assertThat(check(routes.toString())).isEqualTo(1);
        assertThat(output())
                .contains(routes.resolve("ivr-handoff.camel.yaml") + ":"
                        + lineOf("ivr-handoff.camel.yaml", "method: write")
                        + ": invalid YAML: ");
    }

    @Test
    void a_key_camel_does_not_know_is_named_with_its_line() throws IOException {
        replace("metrics-summary.camel.yaml", "- setBody:", "- setBdy:");

        assertThat(check(routes.toString())).isEqualTo(1);
        assertThat(output())
                .contains(routes.resolve("metrics-summary.camel.yaml") + ":"
                        + lineOf("metrics-summary.camel.yaml", "setBdy")
                        + ": Camel cannot load the route: ")
                .contains("setBdy");
    }

    @Test
    void a_route_id_used_twice_is_named() throws IOException {
        Files.writeString(
                routes.resolve("zz-copy.camel.yaml"),
                """
                - route:
                    id: handoff-http
                    from:
                      uri: timer:x
                      steps:
                        - log: x
                - route:
                    id: cxone-call
                    from:
                      uri: direct:results-audit
                      steps:
                        - log: x
                """);

        assertThat(check(routes.toString())).isEqualTo(1);
        String file = routes.resolve("zz-copy.camel.yaml").toString();
        assertThat(output())
                .contains(file + ":2: route id 'handoff-http' is already used by "
                        + routes.resolve("ivr-handoff.camel.yaml"))
                .contains(file + ":8: route id 'cxone-call' is already used by a Java route builder")
                .contains(file + ":10: 'direct:results-audit' is already consumed by "
                        + routes.resolve("results-fanout.camel.yaml"));
    }

    @Test
    void a_missing_directory_is_a_usage_error() {
        assertThat(check(routes.resolve("nowhere").toString())).isEqualTo(2);
        assertThat(output()).contains("no such file or directory").contains("Usage:");
    }

    private int check(String... arguments) {
        return RouteCheck.run(List.of(arguments), new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private void replace(String file, String from, String to) throws IOException {
        String text = Files.readString(routes.resolve(file));
        assertThat(text).contains(from);
        Files.writeString(routes.resolve(file), text.replace(from, to));
    }

    /** The 1-based line of the first occurrence of a text in a copied route file. */
    private int lineOf(String file, String text) throws IOException {
        List<String> lines = Files.readAllLines(routes.resolve(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " is not in " + file);
    }
}
