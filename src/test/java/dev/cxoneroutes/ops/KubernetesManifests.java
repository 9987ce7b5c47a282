package dev.cxoneroutes.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The manifests of deploy/kubernetes, and their check against the Kubernetes API's own models
 * (io.kubernetes:client-java-api, generated from the Kubernetes OpenAPI spec): each model's
 * {@code validateJsonElement} rejects a field the API does not have, a missing required field, and
 * a value of the wrong JSON type, all the way down.
 */
final class KubernetesManifests {

    static final Path DIRECTORY = Path.of("deploy/kubernetes");

    /** One YAML document of a manifest file. */
    record Manifest(Path file, Map<String, Object> document) {
        String kind() {
            return (String) document.get("kind");
        }

        String apiVersion() {
            return (String) document.get("apiVersion");
        }

        @SuppressWarnings("unchecked")
        String name() {
            return (String) ((Map<String, Object>) document.get("metadata")).get("name");
        }
    }

    /** The kinds deploy/ uses, each with the validation its API model generates. */
    interface ApiValidation {
        void validate(JsonElement json) throws IOException;
    }

    private static final Map<String, ApiValidation> VALIDATIONS = Map.of(
            "apps/v1 Deployment", V1Deployment::validateJsonElement,
            "v1 ConfigMap", V1ConfigMap::validateJsonElement,
            "v1 Secret", V1Secret::validateJsonElement,
            "v1 Service", V1Service::validateJsonElement,
            "v1 PersistentVolumeClaim", V1PersistentVolumeClaim::validateJsonElement,
            "policy/v1 PodDisruptionBudget", V1PodDisruptionBudget::validateJsonElement);

    private KubernetesManifests() {}

    /** Every document of every *.yaml in deploy/kubernetes but the kustomization. */
    @SuppressWarnings("unchecked")
    static List<Manifest> all() {
        List<Manifest> manifests = new ArrayList<>();
        for (Path file : files()) {
            for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(OpsQueries.read(file))) {
                if (document != null) {
                    manifests.add(new Manifest(file, (Map<String, Object>) document));
                }
            }
        }
        return manifests;
    }

    static List<Path> files() {
        try (Stream<Path> listing = Files.list(DIRECTORY)) {
            return listing.filter(file -> file.getFileName().toString().endsWith(".yaml"))
                    .filter(file -> !file.getFileName().toString().equals("kustomization.yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Manifest one(String kind, String name) {
        return all().stream()
                .filter(manifest ->
                        manifest.kind().equals(kind) && manifest.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + DIRECTORY));
    }

    /**
     * Checks a document against its kind's API model.
     *
     * @throws IllegalArgumentException naming the first problem (unknown field, missing field, type)
     */
    static void validate(Map<String, Object> document) {
        String kind = document.get("apiVersion") + " " + document.get("kind");
        ApiValidation validation = VALIDATIONS.get(kind);
        if (validation == null) {
            throw new IllegalArgumentException("no API model for " + kind + "; add it to KubernetesManifests");
        }
        try {
            validation.validate(JsonParser.parseString(new ObjectMapper().writeValueAsString(document)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
