package io.campanile.testkit;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the stack's services running, as compose's restart policy and Kubernetes' liveness probe do in production:
 * once a second it looks at every service, and restarts one whose process died, or whose {@code /q/health/live} has
 * not answered 200 for {@link #LIVENESS_BOUND} (a consumer loop that stopped polling turns liveness DOWN, and only a
 * new process heals a wedged JVM). Restarts of one service back off 1, 2, 4 ... {@link #MAX_BACKOFF} seconds, so a
 * service that cannot start does not take the machine's two cores; the back-off starts over once the service has
 * been live for {@link #STEADY}. Every restart is printed, with its reason and count.
 *
 * <p>The bounds are those documented by {@code ./campanile}; tests shorten them ({@link Bounds}).
 *
 * <p>A service that is stopped on purpose (a test's SIGTERM that must stay down, a maintenance stop) is {@link #hold
 * held}: the supervisor leaves it alone until it is {@link #release released}.
 */
public final class Supervisor implements AutoCloseable {
    /** How long a started service's liveness may fail before the process is killed and started again. */
    public static final Duration LIVENESS_BOUND = Duration.ofSeconds(30);
    /** How long a (re)started process has to answer its first liveness check: a cold JVM on 2 busy cores is slow. */
    public static final Duration START_BOUND = Duration.ofSeconds(180);
    /** The longest wait between two restarts of one service. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Time live after which a service's back-off starts again at one second. */
    public static final Duration STEADY = Duration.ofSeconds(60);

    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final List<Watch> order = new ArrayList<>();
    private final PrintStream out;
    private final Bounds bounds;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * How long a service may be down before it is restarted, and how restarts back off.
     *
     * @param liveness how long a live service's liveness may fail before it is killed
     * @param start how long a (re)started process has to answer its first liveness check
     * @param maxBackoff the longest wait between two restarts
     * @param steady time live after which the back-off starts again at one second
     */
    record Bounds(Duration liveness, Duration start, Duration maxBackoff, Duration steady) {
        static final Bounds DEFAULT = new Bounds(LIVENESS_BOUND, START_BOUND, MAX_BACKOFF, STEADY);
    }

    /** Supervises the given services, printing restarts to {@code out}; call {@link #start()} to begin. */
    public Supervisor(List<ServiceProcess> services, PrintStream out) {
        this(services, out, Bounds.DEFAULT);
    }

    Supervisor(List<ServiceProcess> services, PrintStream out, Bounds bounds) {
        this.out = out;
        this.bounds = bounds;
        for (ServiceProcess s : services) {
            Watch w = new Watch(s, System.nanoTime());
            watches.put(s.name(), w);
            order.add(w);
        }
        thread = new Thread(this::run, "campanile-supervisor");
        thread.setDaemon(true);
    }

    public Supervisor start() {
        thread.start();
        return this;
    }

    /** Leaves the service alone (it may be stopped on purpose) until {@link #release}. */
    public void hold(String name) {
        watch(name).held = true;
    }

    /** Supervises a held service again; one found dead is restarted after its back-off. */
    public void release(String name) {
        Watch w = watch(name);
        synchronized (w) {
            if (!w.held) {
                return;
            }
            w.held = false;
            w.restartDueAt = -1;
            w.sinceStart = System.nanoTime();
            w.failingSince = -1;
        }
    }

    /** How many times the supervisor has restarted the service. */
    public int restarts(String name) {
        return watch(name).restarts;
    }

    private Watch watch(String name) {
        Watch w = watches.get(name);
        if (w == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        return w;
    }

    private void run() {
        while (!closed) {
            for (Watch w : order) {
                if (closed) {
                    return;
                }
                synchronized (w) {
                    check(w);
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One look at one service: restart it when it is dead and its back-off has passed, or kill it when wedged. */
    void check(Watch w) {
        if (w.held) {
            return;
        }
        long now = System.nanoTime();
        if (!w.service.isAlive()) {
            if (w.restartDueAt < 0) {
                w.restartDueAt = now + w.backoff.toNanos();
                if (w.reason == null) {
                    w.reason = "exited with " + w.service.exitCode().orElse(-1);
                }
            }
            if (now >= w.restartDueAt) {
                restart(w, now);
            }
            return;
        }
        if (w.service.isLive()) {
            w.everLive = true;
            w.failingSince = -1;
            if (w.liveSince < 0) {
                w.liveSince = now;
            } else if (now - w.liveSince > bounds.steady().toNanos()) {
                w.backoff = Duration.ofSeconds(1);
            }
            return;
        }
        w.liveSince = -1;
        long since = w.everLive ? (w.failingSince < 0 ? now : w.failingSince) : w.sinceStart;
        w.failingSince = since;
        Duration bound = w.everLive ? bounds.liveness() : bounds.start();
        if (now - since > bound.toNanos()) {
            w.reason = (w.everLive ? "not live for " : "not live after start for ") + bound.toSeconds() + " s";
            try {
                w.service.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void restart(Watch w, long now) {
        if (closed) {
            return;
        }
        w.restarts++;
        out.printf("campanile: restarting %s (%s), restart %d%n", w.service.name(), w.reason, w.restarts);
        try {
            w.service.restart();
        } catch (IOException e) {
            out.printf("campanile: could not restart %s: %s%n", w.service.name(), e);
        }
        Duration doubled = w.backoff.multipliedBy(2);
        w.backoff = doubled.compareTo(bounds.maxBackoff()) > 0 ? bounds.maxBackoff() : doubled;
        w.reason = null;
        w.restartDueAt = -1;
        w.sinceStart = now;
        w.everLive = false;
        w.failingSince = -1;
        w.liveSince = -1;
    }

    /** Stops supervising; the services are left as they are (the stack stops them). */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the supervisor knows of one service; guarded by the watch itself. */
    static final class Watch {
        final ServiceProcess service;
        volatile boolean held;
        volatile int restarts;
        Duration backoff = Duration.ofSeconds(1);
        String reason;
        long restartDueAt = -1;
        long sinceStart;
        long failingSince = -1;
        long liveSince = -1;
        /** Services are handed over ready, so a failing check counts against the liveness bound at once. */
        boolean everLive = true;

        Watch(ServiceProcess service, long now) {
            this.service = service;
            this.sinceStart = now;
        }
    }
}
