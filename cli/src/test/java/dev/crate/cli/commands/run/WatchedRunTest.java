package dev.crate.cli.commands.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchedRunTest {
    @Test
    void namesWhatWasAddedRemovedOrChangedAndNothingElse() {
        assertEquals(
                List.of("ADDED", "CHANGED", "REMOVED"),
                WatchedRun.changed(
                        Map.of("CHANGED", "1", "REMOVED", "x", "SAME", "s"),
                        Map.of("CHANGED", "2", "ADDED", "a", "SAME", "s")));
    }
}
