package dev.crate.server.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A native image serializes every wire record only if it is registered for reflection. */
class NativeReflectionTest {

    @Test
    void everyWireRecordAndTheProblemAreRegisteredForReflection() throws Exception {
        Class<?> registry = Class.forName("dev.crate.server.NativeReflection");
        Set<String> registered = Arrays.stream(
                        registry.getAnnotation(RegisterForReflection.class).targets())
                .map(Class::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>();
        expected.add("dev.crate.protocol.Problem");
        Path wire = DeployTools.REPO.resolve("protocol/src/main/java/dev/crate/protocol/wire");
        try (Stream<Path> files = Files.list(wire)) {
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".java"))
                    .forEach(n ->
                            expected.add("dev.crate.protocol.wire." + n.substring(0, n.length() - ".java".length())));
        }
        assertEquals(
                expected,
                registered,
                "dev.crate.server.NativeReflection lists every record of dev.crate.protocol.wire");
    }
}
