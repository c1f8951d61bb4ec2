package dev.crate.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DebouncerTest {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void aBurstOfTriggersRunsTheActionOnce() throws Exception {
        Debouncer debouncer = new Debouncer(executor, Duration.ofMillis(300), runs::incrementAndGet);
        for (int i = 0; i < 3; i++) {
            debouncer.trigger();
            Thread.sleep(50);
        }
        Thread.sleep(800);
        assertEquals(1, runs.get());
    }

    @Test
    void triggersSeparatedByMoreThanTheQuietPeriodRunItEachTime() throws Exception {
        Debouncer debouncer = new Debouncer(executor, Duration.ofMillis(100), runs::incrementAndGet);
        debouncer.trigger();
        Thread.sleep(500);
        debouncer.trigger();
        Thread.sleep(500);
        assertEquals(2, runs.get());
    }

    @Test
    void nothingRunsBeforeTheQuietPeriodHasPassed() throws Exception {
        Debouncer debouncer = new Debouncer(executor, Duration.ofMillis(1000), runs::incrementAndGet);
        debouncer.trigger();
        Thread.sleep(300);
        assertEquals(0, runs.get());
    }

    @Test
    void aLaterTriggerReplacesALongRetryDelay() throws Exception {
        Debouncer debouncer = new Debouncer(executor, Duration.ofMillis(100), runs::incrementAndGet);
        debouncer.triggerAfter(Duration.ofSeconds(30));
        debouncer.trigger();
        Thread.sleep(500);
        assertEquals(1, runs.get());
    }
}
