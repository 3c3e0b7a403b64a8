package io.campanile.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor restarts a killed or wedged process with the same port and log, and leaves a held one alone. */
class SupervisorTest {
    private static final Supervisor.Bounds SHORT = new Supervisor.Bounds(
            Duration.ofSeconds(3), Duration.ofSeconds(20), Duration.ofSeconds(4), Duration.ofSeconds(60));
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private ServiceProcess service;
    private Supervisor supervisor;

    @TempDir
    Path dir;

    private void startSupervised() throws Exception {
        int port = KafkaProcess.freePort();
        service = ServiceProcess.start(
                "stand-in",
                port,
                List.of(
                        ServiceProcess.javaBin(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        StandInService.class.getName(),
                        Integer.toString(port),
                        dir.resolve("wedged").toString()),
                dir.resolve("logs"));
        service.awaitReady(Duration.ofSeconds(30));
        supervisor =
                new Supervisor(List.of(service), new PrintStream(printed, true, StandardCharsets.UTF_8), SHORT).start();
    }

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.close();
        }
        if (service != null) {
            service.close();
        }
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + atMost);
            Thread.sleep(100);
        }
    }

    @Test
    void aKilledProcessIsRestartedOnItsPortAndTheRestartIsLogged() throws Exception {
        startSupervised();
        long before = service.pid();
        service.kill();
        await(() -> service.isAlive() && service.isReady(), Duration.ofSeconds(30));
        assertNotEquals(before, service.pid());
        assertEquals(1, supervisor.restarts("stand-in"));
        assertTrue(printed().contains("campanile: restarting stand-in (exited with 137), restart 1"), printed());
        assertEquals(
                2,
                Files.readString(service.log())
                        .lines()
                        .filter(l -> l.startsWith("stand-in service on"))
                        .count(),
                "both runs append to the same log");
    }

    @Test
    void aProcessWhoseLivenessStaysDownIsKilledAndRestarted() throws Exception {
        startSupervised();
        long before = service.pid();
        Files.createFile(dir.resolve("wedged"));
        await(() -> service.pid() != before, Duration.ofSeconds(30));
        Files.delete(dir.resolve("wedged"));
        await(service::isReady, Duration.ofSeconds(30));
        assertTrue(printed().contains("campanile: restarting stand-in (not live for 3 s), restart 1"), printed());
    }

    @Test
    void restartsBackOffAndAHeldServiceIsLeftAlone() throws Exception {
        startSupervised();
        service.kill();
        await(() -> supervisor.restarts("stand-in") == 1 && service.isReady(), Duration.ofSeconds(30));
        long t0 = System.nanoTime();
        service.kill();
        await(() -> supervisor.restarts("stand-in") == 2, Duration.ofSeconds(30));
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(1900).toNanos(), "the second restart waits 2 s");

        await(service::isReady, Duration.ofSeconds(30));
        supervisor.hold("stand-in");
        service.terminate();
        Thread.sleep(6000);
        assertTrue(!service.isAlive(), "a held service stays down");
        supervisor.release("stand-in");
        await(() -> service.isAlive() && service.isReady(), Duration.ofSeconds(30));
        assertEquals(3, supervisor.restarts("stand-in"));
        assertTrue(printed().contains("(exited with 143), restart 3"), printed());
    }
}
