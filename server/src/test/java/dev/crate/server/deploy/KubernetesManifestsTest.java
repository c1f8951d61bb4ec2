package dev.crate.server.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** k8s/ read strictly against the Kubernetes API model, and what a Crate deployment must be. */
class KubernetesManifestsTest {
    private static final Path K8S = DeployTools.REPO.resolve("k8s");

    private static List<HasMetadata> all() throws Exception {
        List<HasMetadata> objects = new ArrayList<>();
        for (Path file : manifests()) {
            objects.addAll(KubernetesManifests.parse(Files.readString(file), "k8s/" + file.getFileName()));
        }
        return objects;
    }

    private static List<Path> manifests() throws Exception {
        try (Stream<Path> files = Files.list(K8S)) {
            return files.filter(f -> f.toString().endsWith(".yaml")
                            && !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void everyManifestFitsTheKubernetesApiAndDescribesACrateDeployment() throws Exception {
        KubernetesManifests.assertCrateDeployment(all(), true);
    }

    @Test
    void theKustomizationListsEveryManifest() throws Exception {
        JsonNode kustomization = new ObjectMapper(new YAMLFactory())
                .readTree(K8S.resolve("kustomization.yaml").toFile());
        Set<String> listed = new TreeSet<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        assertEquals(
                manifests().stream()
                        .map(p -> p.getFileName().toString())
                        .collect(Collectors.toCollection(TreeSet::new)),
                listed);
    }

    @Test
    void theKustomizationRendersWithKubectlAndTheResultFitsTheApi() throws Exception {
        DeployTools.Result rendered = DeployTools.run(DeployTools.require("kubectl"), "kustomize", "k8s");
        assertEquals(0, rendered.exit(), rendered.output());
        KubernetesManifests.assertCrateDeployment(
                KubernetesManifests.parse(rendered.output(), "kubectl kustomize k8s"), true);
    }

    @Test
    void anUnknownFieldIsRejected() {
        String typo = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: crate
                spec:
                  selectr:
                    app: crate
                """;
        AssertionError error = assertThrows(AssertionError.class, () -> KubernetesManifests.parse(typo, "typo"));
        assertTrue(error.getMessage().contains("spec.selectr"), error.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeIsRejected() {
        String wrong = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: crate
                spec:
                  replicas: two
                """;
        assertThrows(AssertionError.class, () -> KubernetesManifests.parse(wrong, "wrong type"));
    }

    @Test
    void anUnknownKindIsRejected() {
        assertThrows(
                AssertionError.class,
                () -> KubernetesManifests.parse("apiVersion: apps/v1\nkind: Deploymnet\n", "kind"));
    }
}
