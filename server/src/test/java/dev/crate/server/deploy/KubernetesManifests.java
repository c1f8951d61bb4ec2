package dev.crate.server.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Strict reading of Kubernetes manifests with the fabric8 model of the Kubernetes API: an unknown
 * apiVersion/kind, an unknown field anywhere (fabric8 keeps those aside instead of failing: this
 * walks the tree for them) or a value of the wrong type fails. Then the checks Crate relies on.
 */
final class KubernetesManifests {
    static final int HTTP_PORT = 8080;
    static final long USER = 1001;
    private static final long MIB = 1024 * 1024;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .build();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "v1/Service", Service.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    private KubernetesManifests() {}

    /** Every document of a (multi-document) YAML text, strictly typed; {@code source} names it in failures. */
    static List<HasMetadata> parse(String yaml, String source) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode doc : YAML.readValues(YAML.getFactory().createParser(yaml), JsonNode.class)
                .readAll()) {
            if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                continue;
            }
            String type =
                    doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            Class<? extends HasMetadata> kind = KINDS.get(type);
            String where = source + " " + type + " " + doc.at("/metadata/name").asText();
            if (kind == null) {
                throw new AssertionError(where + ": not a kind Crate ships (" + KINDS.keySet() + ")");
            }
            HasMetadata object;
            try {
                object = STRICT.treeToValue(doc, kind);
            } catch (JsonProcessingException e) {
                throw new AssertionError(where + ": does not fit the Kubernetes API schema: " + e.getOriginalMessage());
            }
            List<String> unknown = new ArrayList<>();
            unknownFields(object, "", unknown);
            assertTrue(unknown.isEmpty(), where + ": fields unknown to the Kubernetes API: " + unknown);
            objects.add(object);
        }
        return objects;
    }

    private static void unknownFields(Object node, String path, List<String> found) {
        if (node == null
                || node instanceof String
                || node instanceof Number
                || node instanceof Boolean
                || node instanceof Enum) {
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, found));
            return;
        }
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("cannot read " + path + "." + getter.getName(), e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet()
                            .forEach(k -> found.add(path.isEmpty() ? String.valueOf(k) : path.substring(1) + "." + k));
                }
                continue;
            }
            unknownFields(value, path + "." + decapitalize(getter.getName().substring(3)), found);
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> kind) {
        List<T> found =
                objects.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertEquals(1, found.size(), "exactly one " + kind.getSimpleName());
        return found.get(0);
    }

    static <T extends HasMetadata> Optional<T> maybe(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    /** What a Crate deployment must be, whichever way it was written (k8s/ or the chart). */
    static void assertCrateDeployment(List<HasMetadata> objects, boolean expectReplicas) {
        Deployment deployment = one(objects, Deployment.class);
        Map<String, String> podLabels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(
                matches(deployment.getSpec().getSelector().getMatchLabels(), podLabels),
                "selector matches the pod labels");
        if (expectReplicas) {
            assertEquals(2, deployment.getSpec().getReplicas(), "two replicas");
        }
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), "pod runs as non-root");
        assertEquals(USER, pod.getSecurityContext().getRunAsUser(), "the image's user");
        assertEquals(1, pod.getContainers().size());
        Container crate = pod.getContainers().get(0);
        assertEquals(Boolean.TRUE, crate.getSecurityContext().getReadOnlyRootFilesystem(), "read-only root filesystem");
        assertEquals(Boolean.FALSE, crate.getSecurityContext().getAllowPrivilegeEscalation());
        assertTrue(
                crate.getVolumeMounts().stream()
                        .anyMatch(m -> m.getMountPath().equals("/tmp")
                                && pod.getVolumes().stream()
                                        .anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null)),
                "/tmp is a writable emptyDir");
        for (String resource : List.of("cpu", "memory")) {
            assertNotNull(crate.getResources().getRequests().get(resource), "request " + resource);
            assertNotNull(crate.getResources().getLimits().get(resource), "limit " + resource);
        }
        assertEquals(
                List.of(HTTP_PORT),
                crate.getPorts().stream().map(p -> p.getContainerPort()).toList(),
                "only the HTTP port");
        assertEquals("/q/health/live", crate.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/q/health/ready", crate.getReadinessProbe().getHttpGet().getPath());
        assertEquals("http", crate.getReadinessProbe().getHttpGet().getPort().getStrVal());
        Map<String, String> env = crate.getEnv().stream()
                .collect(Collectors.toMap(
                        e -> e.getName(),
                        e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null
                                ? "secret"
                                : String.valueOf(e.getValue())));
        for (String secret : List.of("CRATE_DB_URL", "CRATE_DB_USER", "CRATE_DB_PASSWORD")) {
            assertEquals("secret", env.get(secret), secret + " comes from a Secret");
        }
        assertTrue(
                env.containsKey("CRATE_ROOT_KEY_FILE")
                        && pod.getVolumes().stream()
                                .anyMatch(v -> v.getSecret() != null
                                        && crate.getVolumeMounts().stream()
                                                .anyMatch(m -> m.getName().equals(v.getName())
                                                        && env.get("CRATE_ROOT_KEY_FILE")
                                                                .startsWith(m.getMountPath()))),
                "the root key file is mounted from a Secret");
        assertFalse(env.containsKey("CRATE_ROOT_KEY"), "the root key is never a plain env value");
        assertEquals(
                "0.0.0.0",
                env.get("QUARKUS_HTTP_HOST"),
                "the server binds 127.0.0.1 unless told otherwise: in a pod it must listen on the pod IP");

        ConfigMap config = one(objects, ConfigMap.class);
        assertTrue(crate.getEnvFrom().stream()
                .anyMatch(f -> f.getConfigMapRef()
                        .getName()
                        .equals(config.getMetadata().getName())));
        assertTrue(
                config.getData().keySet().stream()
                        .noneMatch(k -> k.contains("PASSWORD") || k.contains("ROOT_KEY") || k.contains("TOKEN")),
                "no secret in the ConfigMap");
        assertMemoryBudget(crate, config.getData().get("JAVA_OPTS_APPEND"));

        Service service = one(objects, Service.class);
        assertTrue(matches(service.getSpec().getSelector(), podLabels), "the Service selects the pods");
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        maybe(objects, PodDisruptionBudget.class)
                .ifPresent(pdb -> assertTrue(
                        matches(pdb.getSpec().getSelector().getMatchLabels(), podLabels), "the PDB selects the pods"));
        maybe(objects, HorizontalPodAutoscaler.class).ifPresent(hpa -> {
            assertEquals(
                    deployment.getMetadata().getName(),
                    hpa.getSpec().getScaleTargetRef().getName());
            assertTrue(hpa.getSpec().getMinReplicas() >= 2, "the autoscaler keeps two replicas");
        });
        maybe(objects, NetworkPolicy.class)
                .ifPresent(policy -> assertTrue(
                        matches(policy.getSpec().getPodSelector().getMatchLabels(), podLabels),
                        "the policy selects the pods"));
    }

    /**
     * docs/OPERATIONS.md, section 3: the heap is a share of the container's memory limit, and the rest of
     * the limit leaves room for what the JVM needs beside the heap (~150 MB measured).
     */
    static void assertMemoryBudget(Container crate, String javaOpts) {
        assertNotNull(javaOpts, "JAVA_OPTS_APPEND is set");
        Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(javaOpts);
        assertTrue(percentage.find(), "the heap follows the container's memory limit: " + javaOpts);
        assertFalse(javaOpts.contains("-Xmx"), "no fixed heap, which would ignore the limit: " + javaOpts);
        for (String option :
                List.of("-XX:MaxMetaspaceSize=", "-XX:ReservedCodeCacheSize=", "-XX:MaxDirectMemorySize=")) {
            assertTrue(javaOpts.contains(option), "bounded beside the heap: " + option);
        }
        long limit = Quantity.getAmountInBytes(crate.getResources().getLimits().get("memory"))
                .longValue();
        assertEquals(
                limit,
                Quantity.getAmountInBytes(crate.getResources().getRequests().get("memory"))
                        .longValue(),
                "memory requested is memory limited");
        long heap = (long) (limit * Double.parseDouble(percentage.group(1)) / 100);
        assertTrue(heap >= 96 * MIB, "a heap of at least 96 MiB, not " + heap / MIB);
        assertTrue(limit - heap >= 200 * MIB, "at least 200 MiB beside the heap, not " + (limit - heap) / MIB);
        assertTrue(limit <= 512 * MIB, "a replica stays within its budget, not " + limit / MIB + " MiB");
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }
}
