package dev.cxoneroutes.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/**
 * deploy/Dockerfile read as Docker reads it (Docker cannot run here): a build stage and a JRE
 * stage, a non-root user matching the Deployment's, the ports of application.properties, the
 * management port open to probes, and a context that holds everything the build copies.
 */
class ContainerImageTest {

    static final Path DOCKERFILE = Path.of("deploy/Dockerfile");
    static final Path DOCKERIGNORE = Path.of("deploy/Dockerfile.dockerignore");

    record Instruction(String keyword, String arguments) {}

    @Test
    void builds_in_a_maven_stage_and_runs_on_a_jre() {
        List<Instruction> all = instructions();
        List<Instruction> froms =
                all.stream().filter(i -> i.keyword().equals("FROM")).toList();

        assertThat(froms).hasSize(2);
        assertThat(froms.get(0).arguments()).startsWith("maven:").endsWith(" AS build");
        assertThat(froms.get(1).arguments()).matches("eclipse-temurin:(17|21|25)-jre.*");
        assertThat(runStage())
                .contains(new Instruction("COPY", "--from=build /build/target/cxone-routes.jar ./cxone-routes.jar"));
    }

    @Test
    void runs_as_the_unprivileged_user_the_deployment_expects() {
        List<Instruction> run = runStage();
        int user = indexOf(run, "USER");
        int entrypoint = indexOf(run, "ENTRYPOINT");
        Map<String, Object> podSecurity = KubernetesManifestsTest.map(KubernetesManifestsTest.at(
                KubernetesManifestsTest.deployment(), "spec", "template", "spec", "securityContext"));

        assertThat(user).as("USER before ENTRYPOINT").isBetween(0, entrypoint);
        String uid = run.get(user).arguments().split(":")[0];
        assertThat(uid).isNotIn("root", "0").matches("\\d+");
        assertThat(podSecurity.get("runAsUser")).isEqualTo(Integer.parseInt(uid));
    }

    @Test
    void exposes_the_default_ports_with_the_management_port_open_to_probes() {
        List<Instruction> run = runStage();
        Properties defaults = KubernetesManifestsTest.applicationProperties();

        List<String> exposed = arguments(run, "EXPOSE").stream()
                .flatMap(expose -> java.util.Arrays.stream(expose.split(" ")).skip(1))
                .toList();

        assertThat(exposed)
                .containsExactlyInAnyOrder(defaults.getProperty("http.port"), defaults.getProperty("management.port"));
        assertThat(String.join(" ", arguments(run, "ENV")))
                .contains("MANAGEMENT_HOST=0.0.0.0")
                .contains("MaxRAMPercentage=");
    }

    /**
     * The image and the manifest (whose JAVA_TOOL_OPTIONS replaces the image's) pick the JIT as the
     * README's run command does: its compiler choice is the one bench/ measured.
     */
    @Test
    void the_image_and_the_deployment_choose_the_jit_of_the_readme_run_command() {
        Matcher readme = Pattern.compile("java (-XX:\\S+ )*?(-XX:TieredStopAtLevel=\\d)")
                .matcher(OpsQueries.read(Path.of("README.md")));
        assertThat(readme.find())
                .as("the README's run command names the JIT's levels")
                .isTrue();
        String jit = readme.group(2);

        assertThat(String.join(" ", arguments(runStage(), "ENV")))
                .contains("JAVA_TOOL_OPTIONS=")
                .contains(jit);
        Map<String, Object> container = KubernetesManifestsTest.map(KubernetesManifestsTest.at(
                KubernetesManifestsTest.deployment(), "spec", "template", "spec", "containers", "0"));
        assertThat(KubernetesManifestsTest.list(container.get("env")).stream()
                        .map(KubernetesManifestsTest::map)
                        .filter(env -> "JAVA_TOOL_OPTIONS".equals(env.get("name")))
                        .map(env -> (String) env.get("value")))
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains(jit);
    }

    @Test
    void the_working_directory_holds_what_the_config_maps_are_mounted_over() {
        List<Instruction> run = runStage();

        assertThat(arguments(run, "WORKDIR")).containsExactly("WORKDIR /app");
        assertThat(run)
                .contains(
                        new Instruction("COPY", "application.properties ./"),
                        new Instruction("COPY", "routes/ routes/"),
                        new Instruction("COPY", "sandbox/ sandbox/"));
        assertThat(KubernetesManifestsTest.list(KubernetesManifestsTest.at(
                                KubernetesManifestsTest.deployment(),
                                "spec",
                                "template",
                                "spec",
                                "containers",
                                "0",
                                "volumeMounts"))
                        .stream()
                        .map(mount -> KubernetesManifestsTest.map(mount).get("mountPath"))
                        .toList())
                .contains("/app/application.properties", "/app/routes");
    }

    @Test
    void java_is_pid_1_so_it_gets_sigterm() {
        assertThat(arguments(runStage(), "ENTRYPOINT"))
                .containsExactly(
                        "ENTRYPOINT [\"java\", \"-XX:SharedArchiveFile=/app/cxone-routes.jsa\", \"-jar\", \"/app/cxone-routes.jar\"]");
    }

    @Test
    void the_build_context_keeps_every_path_the_dockerfile_copies() {
        List<String> ignore = OpsQueries.read(DOCKERIGNORE)
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();

        assertThat(ignore.get(0)).as("everything is left out unless named").isEqualTo("**");
        for (Instruction copy : instructions()) {
            if (!copy.keyword().equals("COPY") || copy.arguments().startsWith("--from")) {
                continue;
            }
            String[] parts = copy.arguments().split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) {
                assertThat(ignore).as("context keeps " + parts[i]).contains("!" + parts[i]);
            }
        }
    }

    static List<String> arguments(List<Instruction> instructions, String keyword) {
        return instructions.stream()
                .filter(i -> i.keyword().equals(keyword))
                .map(i -> keyword + " " + i.arguments())
                .toList();
    }

    static int indexOf(List<Instruction> instructions, String keyword) {
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals(keyword)) {
                return i;
            }
        }
        return -1;
    }

    /** The instructions of the last stage, from its FROM on. */
    static List<Instruction> runStage() {
        List<Instruction> all = instructions();
        int lastFrom = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                lastFrom = i;
            }
        }
        return all.subList(lastFrom, all.size());
    }

    /** Instructions with continuation lines joined, comments and blank lines left out. */
    static List<Instruction> instructions() {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : OpsQueries.read(DOCKERFILE).lines().toList()) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                pending.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            pending.append(stripped);
            String text = pending.toString().replaceAll("\\s+", " ").strip();
            pending.setLength(0);
            int space = text.indexOf(' ');
            instructions.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1)));
        }
        return instructions;
    }
}
