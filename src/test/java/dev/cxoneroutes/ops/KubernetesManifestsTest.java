package dev.cxoneroutes.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/kubernetes is valid for the Kubernetes API and fits the service: probes on the real
 * health paths and ports, a grace period longer than the shutdown timeout, the ConfigMaps holding
 * exactly the repository's application.properties and routes/, every Secret key and volume wired.
 */
class KubernetesManifestsTest {

    static final Set<String> SECRET_KEYS =
            Set.of("CXONE_CLIENT_ID", "CXONE_CLIENT_SECRET", "API_KEYS", "CTI_WEBHOOK_SECRET", "STATE_STORE_PASSWORD");

    @Test
    void every_manifest_is_valid_for_its_kubernetes_api_model() {
        List<KubernetesManifests.Manifest> manifests = KubernetesManifests.all();

        assertThat(manifests)
                .extracting(KubernetesManifests.Manifest::kind)
                .containsExactlyInAnyOrder(
                        "ConfigMap",
                        "ConfigMap",
                        "Deployment",
                        "PersistentVolumeClaim",
                        "PodDisruptionBudget",
                        "Secret",
                        "Service");
        for (KubernetesManifests.Manifest manifest : manifests) {
            assertThatNoException()
                    .as(manifest.file() + " " + manifest.kind() + " " + manifest.name())
                    .isThrownBy(() -> KubernetesManifests.validate(manifest.document()));
        }
    }

    @Test
    void the_validation_rejects_a_misspelt_field_a_missing_one_and_a_wrong_type() {
        Map<String, Object> deployment =
                KubernetesManifests.one("Deployment", "cxone-routes").document();

        Map<String, Object> misspelt = copy(deployment);
        Map<String, Object> container = map(at(misspelt, "spec", "template", "spec", "containers", "0"));
        container.put("livenesProbe", container.remove("livenessProbe"));
        assertThatThrownBy(() -> KubernetesManifests.validate(misspelt)).hasMessageContaining("livenesProbe");

        Map<String, Object> noContainerName = copy(deployment);
        map(at(noContainerName, "spec", "template", "spec", "containers", "0")).remove("name");
        assertThatThrownBy(() -> KubernetesManifests.validate(noContainerName)).hasMessageContaining("name");

        Map<String, Object> textPath = copy(deployment);
        map(at(textPath, "spec", "template", "spec", "containers", "0", "readinessProbe", "httpGet"))
                .put("path", List.of("/observe/health/ready"));
        assertThatThrownBy(() -> KubernetesManifests.validate(textPath)).hasMessageContaining("path");
    }

    @Test
    void kustomization_lists_every_manifest_but_the_secret_template() {
        Map<String, Object> kustomization = yaml(KubernetesManifests.DIRECTORY.resolve("kustomization.yaml"));

        assertThat(list(kustomization.get("resources")))
                .as("re-applying the empty template would blank the real credentials")
                .containsExactlyInAnyOrderElementsOf(KubernetesManifests.files().stream()
                        .map(file -> file.getFileName().toString())
                        .filter(name -> !name.equals("secret.yaml"))
                        .toList());
    }

    @Test
    void the_deployment_runs_two_probed_instances_that_stop_gracefully() {
        Map<String, Object> spec = map(at(deployment(), "spec"));
        Map<String, Object> pod = map(at(spec, "template", "spec"));
        Map<String, Object> container = map(at(pod, "containers", "0"));
        Properties defaults = applicationProperties();

        assertThat(spec.get("replicas")).isEqualTo(2);
        assertThat(containerPorts(container))
                .containsEntry("http", Integer.parseInt(defaults.getProperty("http.port")))
                .containsEntry("management", Integer.parseInt(defaults.getProperty("management.port")));
        assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/observe/health/live");
        assertThat(at(container, "livenessProbe", "httpGet", "port")).isEqualTo("management");
        assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/observe/health/ready");
        assertThat(at(container, "readinessProbe", "httpGet", "port")).isEqualTo("management");
        assertThat(at(container, "startupProbe", "httpGet", "port")).isEqualTo("management");

        int shutdownTimeout = Integer.parseInt(defaults.getProperty("camel.main.shutdown-timeout"));
        List<Object> preStop = list(at(container, "lifecycle", "preStop", "exec", "command"));
        int preStopSleep = Integer.parseInt((String) preStop.get(1));
        assertThat(preStop.get(0)).isEqualTo("sleep");
        assertThat((Integer) pod.get("terminationGracePeriodSeconds"))
                .as("grace period > preStop sleep + camel.main.shutdown-timeout + time to close")
                .isGreaterThanOrEqualTo(preStopSleep + shutdownTimeout + 10);

        assertThat(at(container, "resources", "requests", "cpu")).isEqualTo("500m");
        assertThat(at(container, "resources", "requests", "memory")).isEqualTo("512Mi");
        assertThat(map(at(container, "resources", "limits"))).containsKeys("cpu", "memory");
        assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
    }

    @Test
    void the_deployment_sets_the_shared_infrastructure_and_names_each_instance() {
        Map<String, Object> container = map(at(deployment(), "spec", "template", "spec", "containers", "0"));
        Map<String, Map<String, Object>> env = list(container.get("env")).stream()
                .map(KubernetesManifestsTest::map)
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> e));

        assertThat(env).containsKeys("JMS_BROKER_URL", "STATE_STORE_URL", "STATE_STORE_USER", "DROP_DIR", "DATA_DIR");
        assertThat(env.get("MANAGEMENT_HOST").get("value")).isEqualTo("0.0.0.0");
        assertThat(at(env.get("INSTANCE_ID"), "valueFrom", "fieldRef", "fieldPath"))
                .isEqualTo("metadata.name");
        assertThat(((String) env.get("CXONE_BASE_URL").get("value"))).startsWith("https://");
        assertThat(Set.copyOf(env.keySet()))
                .as("credentials come from the Secret, never from plain env values")
                .doesNotContainAnyElementsOf(SECRET_KEYS);
        assertThat(at(container, "envFrom", "0", "secretRef", "name")).isEqualTo(secret().name());
    }

    @Test
    void the_volumes_mount_the_config_maps_the_drop_folder_claim_and_a_data_dir() {
        Map<String, Object> pod = map(at(deployment(), "spec", "template", "spec"));
        Map<String, Object> container = map(at(pod, "containers", "0"));
        Map<String, Map<String, Object>> volumes = list(pod.get("volumes")).stream()
                .map(KubernetesManifestsTest::map)
                .collect(Collectors.toMap(v -> (String) v.get("name"), v -> v));
        Map<String, Map<String, Object>> mounts = list(container.get("volumeMounts")).stream()
                .map(KubernetesManifestsTest::map)
                .collect(Collectors.toMap(m -> (String) m.get("mountPath"), m -> m));
        Map<String, String> env = list(container.get("env")).stream()
                .map(KubernetesManifestsTest::map)
                .filter(e -> e.containsKey("value"))
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> (String) e.get("value")));

        Map<String, Object> properties = mounts.get("/app/application.properties");
        assertThat(properties.get("subPath")).isEqualTo("application.properties");
        assertThat(at(volumes.get(properties.get("name")), "configMap", "name")).isEqualTo("cxone-routes-config");
        assertThat(at(volumes.get(mounts.get("/app/routes").get("name")), "configMap", "name"))
                .isEqualTo("cxone-routes-routes");
        String claim = (String)
                at(volumes.get(mounts.get(env.get("DROP_DIR")).get("name")), "persistentVolumeClaim", "claimName");
        KubernetesManifests.Manifest pvc = KubernetesManifests.one("PersistentVolumeClaim", claim);
        assertThat(list(at(pvc.document(), "spec", "accessModes"))).containsExactly("ReadWriteMany");
        assertThat(mounts).containsKey(env.get("DATA_DIR"));
        assertThat(mounts.values()).allSatisfy(mount -> assertThat(volumes).containsKey((String) mount.get("name")));
    }

    @Test
    void the_config_maps_hold_exactly_the_repositorys_application_properties_and_routes() throws IOException {
        String regenerate = "; run deploy/kubernetes/generate-configmaps.sh";
        Map<String, Object> config = map(KubernetesManifests.one("ConfigMap", "cxone-routes-config")
                .document()
                .get("data"));
        Map<String, Object> routes = map(KubernetesManifests.one("ConfigMap", "cxone-routes-routes")
                .document()
                .get("data"));
        Map<String, String> routeFiles;
        try (Stream<Path> listing = Files.list(Path.of("routes"))) {
            routeFiles = listing.filter(file -> file.getFileName().toString().endsWith(".yaml"))
                    .collect(Collectors.toMap(file -> file.getFileName().toString(), OpsQueries::read));
        }

        assertThat(config.keySet()).containsExactly("application.properties");
        assertThat(config.get("application.properties"))
                .as("application.properties in configmap.yaml" + regenerate)
                .isEqualTo(OpsQueries.read(Path.of("application.properties")));
        assertThat(routes.keySet()).as("routes in configmap.yaml" + regenerate).isEqualTo(routeFiles.keySet());
        routeFiles.forEach((name, text) -> assertThat(routes.get(name))
                .as(name + " in configmap.yaml" + regenerate)
                .isEqualTo(text));
    }

    @Test
    void the_secret_template_has_every_credential_and_no_value() {
        Map<String, Object> data = map(secret().document().get("stringData"));

        assertThat(data.keySet()).isEqualTo(SECRET_KEYS);
        assertThat(data.values())
                .as("left empty, the service refuses to start in live mode: no guessable placeholder ever serves")
                .allMatch(""::equals);
    }

    @Test
    void the_service_and_the_disruption_budget_select_the_pods_and_name_their_ports() {
        Map<String, Object> podLabels = map(at(deployment(), "spec", "template", "metadata", "labels"));
        Map<String, Object> container = map(at(deployment(), "spec", "template", "spec", "containers", "0"));
        Map<String, Object> service =
                KubernetesManifests.one("Service", "cxone-routes").document();
        Map<String, Object> budget =
                KubernetesManifests.one("PodDisruptionBudget", "cxone-routes").document();

        assertThat(podLabels).containsAllEntriesOf(map(at(service, "spec", "selector")));
        assertThat(podLabels).containsAllEntriesOf(map(at(budget, "spec", "selector", "matchLabels")));
        assertThat(podLabels).containsAllEntriesOf(map(at(deployment(), "spec", "selector", "matchLabels")));
        assertThat(list(at(service, "spec", "ports")).stream()
                        .map(port -> map(port).get("targetPort"))
                        .toList())
                .containsExactlyInAnyOrderElementsOf(containerPorts(container).keySet());
    }

    static Map<String, Object> deployment() {
        return KubernetesManifests.one("Deployment", "cxone-routes").document();
    }

    static KubernetesManifests.Manifest secret() {
        return KubernetesManifests.one("Secret", "cxone-routes-secrets");
    }

    static Properties applicationProperties() {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(OpsQueries.read(Path.of("application.properties"))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }

    static Map<String, Integer> containerPorts(Map<String, Object> container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Object port : list(container.get("ports"))) {
            ports.put((String) map(port).get("name"), (Integer) map(port).get("containerPort"));
        }
        return ports;
    }

    /** Follows map keys and list indexes; AssertionError naming the path when one is missing. */
    static Object at(Object node, String... path) {
        Object current = node;
        for (String step : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list
                    && step.matches("\\d+")
                    && Integer.parseInt(step) < list.size()) {
                current = list.get(Integer.parseInt(step));
            } else {
                current = null;
            }
            if (current == null) {
                throw new AssertionError("nothing at " + String.join(".", path) + " (stopped at " + step + ")");
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return (List<Object>) node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(OpsQueries.read(file));
    }

    /** A deep, mutable copy. */
    @SuppressWarnings("unchecked")
    static <T> T copy(T node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new HashMap<>();
            map.forEach((key, value) -> copy.put((String) key, copy(value)));
            return (T) copy;
        }
        if (node instanceof List<?> list) {
            return (T) new java.util.ArrayList<>(
                    list.stream().map(KubernetesManifestsTest::copy).toList());
        }
        return node;
    }
}
