package io.campanile.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.campanile.gateway.persistence.DispatchQueueRepository.Waiting;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The order in which waiting jobs take free slots: fewest in flight first, then the oldest waiting job. */
class FairOrderTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static List<Waiting> jobs(String tenant, int n, int firstSecond) {
        List<Waiting> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Waiting(UUID.randomUUID(), tenant, "t", "{}", T0.plusSeconds(firstSecond + i)));
        }
        return out;
    }

    private static List<String> tenants(List<Waiting> picked) {
        return picked.stream().map(Waiting::tenant).toList();
    }

    @Test
    void aTenantWithNothingInFlightGoesFirstThoughItCameLast() {
        List<Waiting> waiting = new ArrayList<>(jobs("a", 4, 0));
        waiting.addAll(jobs("b", 1, 100));
        List<Waiting> picked = FairOrder.pick(waiting, Map.of("a", 3L), 1);
        assertEquals(List.of("b"), tenants(picked));
    }

    @Test
    void tenantsTakeTurnsOldestJobFirstWithinEach() {
        List<Waiting> a = jobs("a", 5, 0);
        List<Waiting> b = jobs("b", 2, 10);
        List<Waiting> waiting = new ArrayList<>(a);
        waiting.addAll(b);
        List<Waiting> picked = FairOrder.pick(waiting, Map.of(), 5);
        assertEquals(List.of("a", "b", "a", "b", "a"), tenants(picked));
        assertEquals(List.of(a.get(0), b.get(0), a.get(1), b.get(1), a.get(2)), picked);
    }

    @Test
    void slotsBeyondTheWaitingJobsStayFree() {
        assertEquals(2, FairOrder.pick(jobs("a", 2, 0), Map.of("z", 10L), 8).size());
        assertEquals(0, FairOrder.pick(List.of(), Map.of(), 8).size());
    }
}
