package io.campanile.stage2.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The worker's memory for the job log: the process's peak resident set (Linux {@code VmHWM} in
 * {@code /proc/self/status}, which includes ONNX Runtime's native memory) and the Java heap in use.
 */
final class WorkerMemory {
    private WorkerMemory() {}

    /** E.g. "peak RSS 612 MiB, heap used 85 of 1024 MiB". */
    static String describe() {
        Runtime rt = Runtime.getRuntime();
        long heapMiB = (rt.totalMemory() - rt.freeMemory()) >> 20;
        long peak = peakRssKiB();
        return (peak < 0 ? "peak RSS unknown" : "peak RSS " + (peak >> 10) + " MiB") + ", heap used " + heapMiB + " of "
                + (rt.maxMemory() >> 20) + " MiB";
    }

    /** VmHWM in KiB, or -1 where {@code /proc} is not there. */
    static long peakRssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
