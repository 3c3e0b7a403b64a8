package io.campanile.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch model of {@code trainer/bench/torch_reference.py} run as a child process, for the benchmark's side by
 * side rounds: the same UNet, batch, steps and sampler, PyTorch's own defaults (NCHW, eager), the same thread count.
 */
final class TorchReference {
    private static final Path SCRIPT = Path.of("trainer/bench/torch_reference.py");
    private final String python;
    private final int hiddenDim;
    private final int batch;

    private TorchReference(String python, int hiddenDim, int batch) {
        this.python = python;
        this.hiddenDim = hiddenDim;
        this.batch = batch;
    }

    /**
     * The first Python with torch among {@code python} (when given), else {@code $CAMPANILE_TORCH_PYTHON} and
     * {@code python3}; empty (with the reason printed) when none is found.
     */
    static Optional<TorchReference> find(String python, int hiddenDim, int batch) throws InterruptedException {
        if (!Files.isRegularFile(SCRIPT)) {
            System.out.println("PyTorch reference: " + SCRIPT + " not found (run from the repository root)");
            return Optional.empty();
        }
        List<String> candidates = new ArrayList<>();
        if (python != null) {
            candidates.add(python);
        } else {
            String env = System.getenv("CAMPANILE_TORCH_PYTHON");
            if (env != null && !env.isBlank()) {
                candidates.add(env);
            }
            candidates.add("python3");
        }
        for (String py : candidates) {
            if (hasTorch(py)) {
                return Optional.of(new TorchReference(py, hiddenDim, batch));
            }
        }
        System.out.println("PyTorch reference: no Python with torch among " + candidates
                + " (pass python=/path/to/python with torch installed)");
        return Optional.empty();
    }

    /** One run: {@code steps} timed training steps (after 2 warm-up ones), then a timed sampling run when > 0. */
    JsonNode run(int steps, int sampleSteps) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(
                        python,
                        SCRIPT.toString(),
                        "--hidden-dim",
                        String.valueOf(hiddenDim),
                        "--batch-size",
                        String.valueOf(batch),
                        "--steps",
                        String.valueOf(steps),
                        "--sample-steps",
                        String.valueOf(sampleSteps),
                        "--threads",
                        String.valueOf(Runtime.getRuntime().availableProcessors()))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().remove("OMP_WAIT_POLICY"); // set for ND4J; PyTorch runs with its own defaults
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || out.isEmpty()) {
            throw new IOException("the PyTorch reference failed (exit " + p.exitValue() + ")");
        }
        return new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
    }

    String describe() {
        return python;
    }

    private static boolean hasTorch(String python) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
