package dev.crate.server.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pipeline examples of docs/WORKLOAD-IDENTITY.md are valid YAML that asks the platform for a token with
 * the audience {@code crate} and hands it to the CLI, with no Crate secret; every binding it shows pins the
 * audience and the subject.
 */
class WorkloadIdentityDocsTest {
    private static final Path DOC = Path.of("..", "docs", "WORKLOAD-IDENTITY.md");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<String> blocks(String language) throws Exception {
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(DOC));
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static JsonNode yamlBlockWith(String marker) throws Exception {
        for (String block : blocks("yaml")) {
            if (block.contains(marker)) {
                return YAML.readTree(block);
            }
        }
        throw new AssertionError("no yaml example with " + marker + " in " + DOC);
    }

    @Test
    void theGitHubActionsExampleRequestsAnIdTokenForCrateAndStoresNoSecret() throws Exception {
        JsonNode workflow = yamlBlockWith("id-token:");
        assertEquals("write", workflow.at("/permissions/id-token").asText());
        JsonNode steps = workflow.at("/jobs/deploy/steps");
        String runs = steps.findValuesAsText("run").toString();
        assertTrue(runs.contains("audience=crate"), runs);
        assertTrue(runs.contains("CRATE_WORKLOAD_TOKEN_FILE"), runs);
        assertTrue(runs.contains("crate run --env dev"), runs);
        assertFalse(workflow.toString().contains("CRATE_TOKEN"), "no Crate secret in the workflow");
    }

    @Test
    void theGitLabExampleNamesItsIdTokenForTheCliWithAudienceCrate() throws Exception {
        JsonNode job = yamlBlockWith("id_tokens:").get("deploy");
        assertEquals("crate", job.at("/id_tokens/CRATE_WORKLOAD_TOKEN/aud").asText());
        assertTrue(job.get("script").toString().contains("crate run"), job.toString());
        assertFalse(job.toString().contains("CRATE_TOKEN\""), "no Crate secret in the job");
    }

    @Test
    void everyBindingShownPinsTheAudienceAndTheSubject() throws Exception {
        int bindings = 0;
        for (String block : blocks("sh")) {
            for (String command : block.split("\\n(?=\\S)")) {
                if (!command.contains("workload-identities create")) {
                    continue;
                }
                bindings++;
                assertTrue(command.contains("--audience crate"), command);
                Matcher subject = Pattern.compile("--subject (\\S+)").matcher(command);
                assertTrue(subject.find(), command);
                assertFalse(subject.group(1).equals("*") || subject.group(1).equals("'*'"), command);
            }
        }
        assertTrue(bindings >= 3, "the GitHub, GitLab and Kubernetes bindings are shown: " + bindings);
    }
}
