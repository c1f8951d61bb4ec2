package dev.crate.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/API.md's worked example, as the script beside it, must keep working against the server. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class CurlOpensslExampleTest {
    private static final Path SCRIPT = Path.of("..", "docs", "examples", "curl-openssl.sh")
            .toAbsolutePath()
            .normalize();

    @TestHTTPResource("/")
    URL server;

    @Test
    void theDocumentedCurlAndOpensslWalkStoresAndRetrievesASecret() throws Exception {
        Org org = Api.newOrg();
        String value = "hello wörld 🔑 \"quoted\" $HOME";
        Process process = run(org, Map.of("SECRET_NAME", "DOC_EXAMPLE", "SECRET_VALUE", value));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), err);
        assertEquals("retrieved DOC_EXAMPLE=" + value + "\n", out);
        assertEquals(value, Api.value(Api.retrieve(org, "dev", List.of("DOC_EXAMPLE"), null), "DOC_EXAMPLE"));
    }

    @Test
    void theScriptFailsWithAWrongToken() throws Exception {
        Org org = Api.newOrg();
        Process process = run(new Org(org.id(), "crate_wrong"), Map.of());
        process.getInputStream().readAllBytes();
        assertEquals(1, process.waitFor());
    }

    private Process run(Org org, Map<String, String> extra) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString());
        builder.environment().put("CRATE_SERVER", server.toString());
        builder.environment().put("CRATE_TOKEN", org.adminKey());
        builder.environment().put("CRATE_ORG", org.id());
        builder.environment().putAll(extra);
        return builder.start();
    }
}
