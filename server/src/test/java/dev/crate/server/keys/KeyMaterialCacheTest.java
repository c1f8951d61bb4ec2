package dev.crate.server.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.domain.OrgKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The unwrapped-key cache: TTL and retirement evict, and evicted org key bytes are zeroed one sweep later. */
class KeyMaterialCacheTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private final KeyMaterialCache<String, OrgKey> cache =
            new KeyMaterialCache<>(Duration.ofMinutes(5), clock::get, k -> Arrays.fill(k.material(), (byte) 0));
    private final UUID org = UUID.randomUUID();

    private OrgKey key(int version) {
        byte[] material = new byte[32];
        Arrays.fill(material, (byte) (0x40 + version));
        return new OrgKey(org, version, material);
    }

    private static boolean zeroed(OrgKey key) {
        return Arrays.equals(key.material(), new byte[32]);
    }

    @Test
    void anEntryLeavesOnItsTtlAndIsZeroedAfterTheNextSweep() {
        OrgKey v1 = key(1);
        cache.put(org + ":1", v1);
        clock.addAndGet(Duration.ofMinutes(5).toNanos() - 1);
        assertSame(v1, cache.get(org + ":1"));

        clock.addAndGet(1);
        assertEquals(1, cache.sweep(), "past its TTL, the sweep evicts it");
        assertFalse(cache.contains(org + ":1"));
        assertNull(cache.get(org + ":1"));
        assertFalse(zeroed(v1), "a request that took it just before gets one sweep interval to finish");
        assertEquals(1, cache.pendingDestruction());

        cache.sweep();
        assertTrue(zeroed(v1));
        assertEquals(0, cache.pendingDestruction());
    }

    @Test
    void aStaleEntryFoundOnAReadIsEvictedToo() {
        OrgKey v1 = key(1);
        cache.put(org + ":1", v1);
        clock.addAndGet(Duration.ofMinutes(6).toNanos());
        assertNull(cache.get(org + ":1"));
        assertEquals(0, cache.size());
        cache.sweep();
        cache.sweep();
        assertTrue(zeroed(v1));
    }

    @Test
    void retirementEvictsAtOnceAndOnlyTheRetiredVersion() {
        OrgKey v1 = key(1);
        OrgKey v2 = key(2);
        cache.put(org + ":1", v1);
        cache.put(org + ":2", v2);
        String retired = org + ":1";
        assertEquals(1, cache.evictIf(retired::equals));
        assertFalse(cache.contains(retired));
        assertSame(v2, cache.get(org + ":2"));
        cache.sweep();
        cache.sweep();
        assertTrue(zeroed(v1));
        byte[] expected = new byte[32];
        Arrays.fill(expected, (byte) 0x42);
        assertArrayEquals(expected, v2.material(), "the active version is untouched");
    }

    @Test
    void aReplacedEntryIsDestroyedAndClearDestroysEverythingAtOnce() {
        OrgKey first = key(1);
        OrgKey second = key(1);
        cache.put(org + ":1", first);
        cache.put(org + ":1", second);
        cache.sweep();
        cache.sweep();
        assertTrue(zeroed(first));
        assertFalse(zeroed(second));
        cache.clear();
        assertTrue(zeroed(second));
        assertEquals(0, cache.size());
    }

    @Test
    void aTtlOfZeroCachesNothing() {
        KeyMaterialCache<String, OrgKey> off = new KeyMaterialCache<>(Duration.ZERO, clock::get, k -> {});
        off.put("x", key(1));
        assertNull(off.get("x"));
    }
}
