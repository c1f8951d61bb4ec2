package dev.crate.server.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
    void theWorkloadIdentityExampleFitsTheApiAndHandsCrateAProjectedTokenForAudienceCrate() throws Exception {
        List<HasMetadata> objects = KubernetesManifests.parse(
                Files.readString(K8S.resolve("examples/workload-identity.yaml")),
                "k8s/examples/workload-identity.yaml");
        Deployment deployment = objects.stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the example has no Deployment"));
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        String account = pod.getServiceAccountName();
        assertTrue(
                objects.stream()
                        .anyMatch(o -> o instanceof ServiceAccount
                                && o.getMetadata().getName().equals(account)),
                "the example defines its service account " + account);
        Volume tokens = pod.getVolumes().stream()
                .filter(v -> v.getProjected() != null)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no projected volume"));
        ServiceAccountTokenProjection projection = tokens.getProjected().getSources().stream()
                .map(VolumeProjection::getServiceAccountToken)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no service-account token in the projected volume"));
        assertEquals("crate", projection.getAudience(), "the token is for Crate's audience only");
        Container app = pod.getContainers().get(0);
        VolumeMount mount = app.getVolumeMounts().stream()
                .filter(m -> m.getName().equals(tokens.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the token volume is not mounted"));
        String file = app.getEnv().stream()
                .filter(e -> e.getName().equals("CRATE_WORKLOAD_TOKEN_FILE"))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("CRATE_WORKLOAD_TOKEN_FILE is not set"));
        assertEquals(mount.getMountPath() + "/" + projection.getPath(), file);
        assertEquals(List.of("crate", "run"), app.getCommand().subList(0, 2));
        assertTrue(
                app.getEnv().stream().noneMatch(e -> e.getName().equals("CRATE_TOKEN")), "no Crate secret in the pod");
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
