package dev.crate.server.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No Docker engine here, so the Dockerfiles are kept honest by reading them, after `mvn package`:
 * every path they copy from the build context exists and is not docker-ignored, every path they copy
 * out of the builder stage is what the Maven build produces, and the final image's port and user are
 * the ones k8s/ and the chart expect.
 */
class ContainerImagesIT {

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

    record Copy(String from, List<String> sources) {}

    record Dockerfile(
            Map<String, String> stageWorkdirs,
            List<Copy> copies,
            List<String> exposed,
            String finalUser,
            Map<String, String> finalEnv,
            String text) {}

    static Dockerfile read(String name) throws Exception {
        String text = Files.readString(DeployTools.REPO.resolve(name));
        Map<String, String> workdirs = new LinkedHashMap<>();
        List<Copy> copies = new ArrayList<>();
        List<String> exposed = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        String stage = null;
        String user = "root";
        for (String raw : text.replace("\\\n", " ").split("\n")) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            switch (words[0].toUpperCase()) {
                case "FROM" -> {
                    stage = words.length >= 4 && words[2].equalsIgnoreCase("AS")
                            ? words[3]
                            : "final-" + workdirs.size();
                    workdirs.put(stage, "/");
                    exposed.clear();
                    env.clear();
                    user = "root";
                }
                case "WORKDIR" -> workdirs.put(stage, words[1]);
                case "USER" -> user = words[1];
                case "ENV" -> {
                    Matcher pair = ENV_PAIR.matcher(line.substring(words[0].length()));
                    while (pair.find()) {
                        env.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
                    }
                }
                case "EXPOSE" -> exposed.addAll(Arrays.asList(words).subList(1, words.length));
                case "COPY", "ADD" -> {
                    String from = null;
                    List<String> args = new ArrayList<>();
                    for (String word : Arrays.asList(words).subList(1, words.length)) {
                        if (word.startsWith("--from=")) {
                            from = word.substring("--from=".length());
                        } else if (!word.startsWith("--")) {
                            args.add(word);
                        }
                    }
                    copies.add(new Copy(from, args.subList(0, args.size() - 1)));
                }
                default -> {}
            }
        }
        return new Dockerfile(workdirs, copies, List.copyOf(exposed), user, Map.copyOf(env), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native"})
    void everyPathCopiedFromTheContextExistsAndIsNotDockerIgnored(String name) throws Exception {
        List<String> ignored = Files.readAllLines(DeployTools.REPO.resolve(".dockerignore")).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        for (Copy copy : read(name).copies()) {
            if (copy.from() != null) {
                continue;
            }
            for (String source : copy.sources()) {
                assertTrue(
                        Files.exists(DeployTools.REPO.resolve(source)),
                        name + " copies " + source + ", which does not exist");
                for (String pattern : ignored) {
                    String glob = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
                    assertFalse(
                            FileSystems.getDefault()
                                    .getPathMatcher("glob:" + glob)
                                    .matches(Path.of(source.replaceAll("/$", ""))),
                            name + " copies " + source + ", which .dockerignore leaves out (" + pattern + ")");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native"})
    void everyPathCopiedOutOfTheBuilderIsProducedByTheMavenBuild(String name) throws Exception {
        Dockerfile file = read(name);
        String nativeRunner = builtJarBaseName() + "-runner";
        int checked = 0;
        for (Copy copy : file.copies()) {
            if (!"build".equals(copy.from())) {
                continue;
            }
            String workdir = file.stageWorkdirs().get("build");
            for (String source : copy.sources()) {
                assertTrue(
                        source.startsWith(workdir + "/"),
                        name + ": " + source + " is outside the build stage's " + workdir);
                String inRepo = source.substring(workdir.length() + 1);
                if (inRepo.contains("*")) {
                    // only the native build makes it; it needs Mandrel, which is not here: check the name it will have
                    Path dir = Path.of(inRepo).getParent();
                    assertTrue(
                            FileSystems.getDefault()
                                    .getPathMatcher("glob:" + inRepo)
                                    .matches(dir.resolve(nativeRunner)),
                            name + ": " + inRepo + " does not match the native executable's name " + nativeRunner);
                    assertTrue(file.text().contains("-Dnative"), name + " builds with -Dnative");
                } else {
                    assertTrue(
                            Files.exists(DeployTools.REPO.resolve(inRepo)),
                            name + " copies " + inRepo + " out of the builder, but `mvn package` does not produce it");
                }
                checked++;
            }
        }
        assertTrue(checked > 0, name + " copies the server out of a stage named build");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native"})
    void theImageRunsAsTheNonRootUserAndExposesOnlyThePortThatKubernetesExpects(String name) throws Exception {
        Dockerfile file = read(name);
        assertEquals(
                List.of(String.valueOf(KubernetesManifests.HTTP_PORT)),
                file.exposed(),
                name + " exposes only the server port");
        assertEquals(String.valueOf(KubernetesManifests.USER), file.finalUser(), name + " runs as the user of k8s/");
        List<HasMetadata> k8s =
                KubernetesManifests.parse(Files.readString(DeployTools.REPO.resolve("k8s/deployment.yaml")), "k8s");
        var pod = KubernetesManifests.one(k8s, Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec();
        assertEquals(KubernetesManifests.USER, pod.getSecurityContext().getRunAsUser());
        assertEquals(
                KubernetesManifests.HTTP_PORT,
                pod.getContainers().get(0).getPorts().get(0).getContainerPort());
        String chart = Files.readString(DeployTools.REPO.resolve("helm/crate/templates/deployment.yaml"));
        assertTrue(
                chart.contains("runAsUser: " + KubernetesManifests.USER)
                        && chart.contains("containerPort: " + KubernetesManifests.HTTP_PORT),
                "the chart's user and port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native"})
    void theImageListensOnEveryInterfaceAlthoughTheServerDefaultsToLoopback(String name) throws Exception {
        assertEquals(
                "0.0.0.0",
                read(name).finalEnv().get("QUARKUS_HTTP_HOST"),
                name + " sets QUARKUS_HTTP_HOST=0.0.0.0: on 127.0.0.1 nothing outside the container reaches it");
    }

    @org.junit.jupiter.api.Test
    void theJvmImageHasTheMemoryOptionsOfTheManifests() throws Exception {
        List<HasMetadata> k8s =
                KubernetesManifests.parse(Files.readString(DeployTools.REPO.resolve("k8s/configmap.yaml")), "k8s");
        String manifests = KubernetesManifests.one(k8s, io.fabric8.kubernetes.api.model.ConfigMap.class)
                .getData()
                .get("JAVA_OPTS_APPEND");
        assertEquals(
                manifests,
                read("Dockerfile.jvm").finalEnv().get("JAVA_OPTS_APPEND"),
                "Dockerfile.jvm and k8s/ give the JVM the same memory budget (docs/OPERATIONS.md, section 3)");
    }

    /** crate-server-VERSION, from the jar `mvn package` made. */
    private static String builtJarBaseName() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("crate-server-") && n.endsWith(".jar") && !n.contains("-tests"))
                    .map(n -> n.substring(0, n.length() - ".jar".length()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("target/crate-server-*.jar missing: run mvn package"));
        }
    }
}
