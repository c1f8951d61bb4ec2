package dev.crate.server.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * helm/crate: values.schema.json refuses a release without a database or a root key (checked with a
 * JSON-schema validator, and by helm itself); the chart lints, and what it renders fits the
 * Kubernetes API strictly and describes the same deployment as k8s/.
 */
class HelmChartTest {
    private static final Path CHART = DeployTools.REPO.resolve("helm").resolve("crate");
    private static final String RELEASE_VALUES = "helm/crate/ci/release-values.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonSchema schema() throws Exception {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                .getSchema(new ObjectMapper()
                        .readTree(CHART.resolve("values.schema.json").toFile()));
    }

    /** values.yaml with the release values merged over it, as helm merges them. */
    private static ObjectNode releaseValues() throws Exception {
        ObjectNode values =
                (ObjectNode) YAML.readTree(CHART.resolve("values.yaml").toFile());
        return YAML.readerForUpdating(values)
                .readValue(DeployTools.REPO.resolve(RELEASE_VALUES).toFile());
    }

    @Test
    void aCompleteReleaseMeetsTheSchema() throws Exception {
        Set<ValidationMessage> errors = schema().validate(releaseValues());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void theChartDefaultsAloneAreRefusedForLackOfADatabaseAndARootKey() throws Exception {
        Set<ValidationMessage> errors =
                schema().validate(YAML.readTree(CHART.resolve("values.yaml").toFile()));
        assertTrue(
                errors.stream().anyMatch(e -> e.getInstanceLocation().toString().contains("database")),
                errors.toString());
        assertTrue(
                errors.stream().anyMatch(e -> e.getInstanceLocation().toString().contains("rootKey")),
                errors.toString());
    }

    @Test
    void aReleaseWithoutARootKeySourceIsRefused() throws Exception {
        ObjectNode values = releaseValues();
        ((ObjectNode) values.get("rootKey")).remove("existingSecret");
        assertNotEquals(Set.of(), schema().validate(values));
    }

    @Test
    void aReleaseWithoutADatabaseIsRefused() throws Exception {
        ObjectNode values = releaseValues();
        values.remove("database");
        assertNotEquals(Set.of(), schema().validate(values));
    }

    @Test
    void aMisspelledValueIsRefused() throws Exception {
        ObjectNode values = releaseValues();
        values.put("replicaCont", 3);
        assertNotEquals(Set.of(), schema().validate(values));
    }

    @Test
    void helmLintsTheChartStrictly() throws Exception {
        DeployTools.Result lint =
                DeployTools.run(DeployTools.require("helm"), "lint", "--strict", "helm/crate", "-f", RELEASE_VALUES);
        assertEquals(0, lint.exit(), lint.output());
    }

    @Test
    void helmRefusesToRenderWithoutADatabaseOrARootKey() throws Exception {
        DeployTools.Result render = DeployTools.run(DeployTools.require("helm"), "template", "crate", "helm/crate");
        assertNotEquals(0, render.exit(), render.output());
        assertTrue(
                render.output().contains("/database/existingSecret")
                        && render.output().contains("/rootKey/existingSecret"),
                render.output());
    }

    @Test
    void theRenderedChartFitsTheKubernetesApiAndMatchesK8sManifests() throws Exception {
        for (List<String> extra : List.of(
                List.<String>of(),
                List.of("--set", "autoscaling.enabled=false"),
                List.of(
                        "--set",
                        "podDisruptionBudget.enabled=false,networkPolicy.enabled=false,bootstrap.tokenSecret="))) {
            List<String> args =
                    new java.util.ArrayList<>(List.of("template", "crate", "helm/crate", "-f", RELEASE_VALUES));
            args.addAll(extra);
            DeployTools.Result render = DeployTools.run(DeployTools.require("helm"), args.toArray(String[]::new));
            assertEquals(0, render.exit(), render.output());
            List<HasMetadata> objects = KubernetesManifests.parse(render.output(), "helm template " + extra);
            boolean hpa = extra.isEmpty() || !extra.get(1).contains("autoscaling.enabled=false");
            KubernetesManifests.assertCrateDeployment(objects, !hpa);
            Deployment deployment = KubernetesManifests.one(objects, Deployment.class);
            assertEquals(
                    "crate-server:0.1.0",
                    deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage());
        }
    }
}
