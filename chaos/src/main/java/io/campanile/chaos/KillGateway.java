package io.campanile.chaos;

import io.campanile.testkit.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGKILL of the gateway during a burst of submissions from eight clients. Requests in flight are cut; clients
 * retry with their idempotency key until the restarted gateway answers, as a careful client would. Accepted jobs are
 * those answered 2xx with an id plus those the database holds under a key that never got its answer; each must end
 * exactly once, and no key may make two jobs.
 */
final class KillGateway implements Scenario {
    private static final Duration RETRY_FOR = Duration.ofSeconds(120);
    private final int submissions;

    KillGateway(int submissions) {
        this.submissions = submissions;
    }

    @Override
    public String name() {
        return "kill-gateway";
    }

    @Override
    public String description() {
        return "SIGKILL of the gateway after " + submissions * 3 / 10 + " of a burst of " + submissions
                + " submissions from 8 clients";
    }

    @Override
    public Duration bound() {
        return Duration.ofMinutes(6);
    }

    @Override
    public void run(Run run) throws Exception {
        AtomicInteger made = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < submissions; i++) {
            String body = JobBodies.tiny(5000 + i);
            done.add(clients.submit(() -> {
                made.incrementAndGet();
                String id = run.ledger.submitRetrying(run.gateway, body, RETRY_FOR);
                if (id != null) {
                    run.ledger.expect(id, "SUCCEEDED");
                }
            }));
        }
        while (made.get() < submissions * 3 / 10) {
            Thread.sleep(10);
        }
        ServiceProcess gateway = run.stack.service("gateway");
        run.log("SIGKILL gateway (pid " + gateway.pid() + ") after " + made.get() + " submissions started");
        gateway.kill();
        clients.shutdown();
        if (!clients.awaitTermination(RETRY_FOR.toSeconds() * 2, TimeUnit.SECONDS)) {
            run.ledger.violation("submissions still retrying after " + RETRY_FOR.toSeconds() * 2 + " s");
        }
        for (var f : done) {
            f.get();
        }
    }
}
