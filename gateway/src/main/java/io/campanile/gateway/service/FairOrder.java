package io.campanile.gateway.service;

import io.campanile.gateway.persistence.DispatchQueueRepository.Waiting;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The order in which waiting jobs take a lane's free slots (ADR 0016): the tenant with the fewest jobs in flight goes
 * first, its oldest job; on a tie the tenant whose oldest waiting job is older. Each pick counts as in flight for the
 * next, so a tenant with 1,000 jobs waiting and a tenant with one take turns, and the one gets the next free slot.
 */
final class FairOrder {
    private FairOrder() {}

    /**
     * Up to {@code slots} jobs from {@code waiting} (each tenant's jobs oldest first, as the queue reads them), in the
     * order they are to be dispatched.
     *
     * @param inFlight the lane's jobs in flight by tenant (absent: none)
     */
    static List<Waiting> pick(List<Waiting> waiting, Map<String, Long> inFlight, int slots) {
        Map<String, Deque<Waiting>> byTenant = new LinkedHashMap<>();
        for (Waiting w : waiting) {
            byTenant.computeIfAbsent(w.tenant(), t -> new ArrayDeque<>()).add(w);
        }
        Map<String, Long> counts = new HashMap<>(inFlight);
        Comparator<String> order = Comparator.<String>comparingLong(t -> counts.getOrDefault(t, 0L))
                .thenComparing(t -> byTenant.get(t).peek().createdAt())
                .thenComparing(t -> byTenant.get(t).peek().jobId());
        PriorityQueue<String> tenants = new PriorityQueue<>(order);
        tenants.addAll(byTenant.keySet());
        List<Waiting> out = new ArrayList<>();
        while (out.size() < slots && !tenants.isEmpty()) {
            String t = tenants.poll();
            Deque<Waiting> jobs = byTenant.get(t);
            out.add(jobs.poll());
            counts.merge(t, 1L, Long::sum);
            if (!jobs.isEmpty()) {
                tenants.add(t); // re-ordered with its new count and its next job
            }
        }
        return out;
    }
}
