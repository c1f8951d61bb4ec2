package dev.crate.server.observe;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.metrics.CrateMetrics;
import dev.crate.server.testing.PostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * /q/metrics of a server nobody has used yet already lists every {@code crate_*} series, so that an
 * alert on one sees it (at zero) before the first event. Its own test profile gives it a fresh server.
 */
@QuarkusTest
@TestProfile(MetricsAtStartTest.FreshServer.class)
@QuarkusTestResource(PostgresResource.class)
class MetricsAtStartTest {

    /** No settings of its own: a distinct profile only so that Quarkus starts a server for this class alone. */
    public static class FreshServer implements QuarkusTestProfile {}

    @Test
    void aFreshServerListsEveryDomainSeriesBeforeTheirFirstUse() throws Exception {
        Set<String> expected = crateSeries(scrapeOf(everyCrateMeter()));
        assertFalse(expected.isEmpty(), "CrateMetrics registers meters");
        Set<String> served = crateSeries(given().accept("text/plain")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(served);
        assertTrue(missing.isEmpty(), "missing from a fresh server's /q/metrics: " + missing);
    }

    /** What CrateMetrics registers, in a registry of the kind the server serves: a new meter is covered. */
    private static PrometheusMeterRegistry everyCrateMeter() throws ReflectiveOperationException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Constructor<CrateMetrics> constructor = CrateMetrics.class.getDeclaredConstructor(MeterRegistry.class);
        constructor.setAccessible(true);
        constructor.newInstance(registry);
        return registry;
    }

    private static String scrapeOf(PrometheusMeterRegistry registry) {
        return registry.scrape();
    }

    /** Every crate_* series of a scrape, name and labels without the value. */
    private static Set<String> crateSeries(String scrape) {
        Set<String> series = new TreeSet<>();
        for (String line : List.of(scrape.split("\n"))) {
            if (line.startsWith("crate_")) {
                series.add(line.substring(0, line.lastIndexOf(' ')));
            }
        }
        return series;
    }
}
