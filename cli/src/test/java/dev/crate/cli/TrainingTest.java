package dev.crate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The archive is only as good as the paths the training really walks: each must succeed against the stub. */
class TrainingTest {
    @Test
    void everyTrainedCommandSucceedsAgainstTheLoopbackStub() throws Exception {
        Map<String, Integer> codes = Training.exercise(new PrintStream(OutputStream.nullOutputStream()));

        assertEquals(
                Map.of(
                        "run -- true", 0,
                        "run --env dev --tags backend -- true", 0,
                        "secrets list", 0,
                        "secrets fetch --env dev", 0),
                codes);
    }
}
