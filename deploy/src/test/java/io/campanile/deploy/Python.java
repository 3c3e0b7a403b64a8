package io.campanile.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code python3} on the PATH, for the checks of deploy/export that need an interpreter (skipped without one). */
final class Python {
    static final String EXECUTABLE = "python3";

    /** What a run printed (stdout and stderr together) and its exit status. */
    record Result(int exitCode, String output) {}

    private Python() {}

    /** Whether {@code python3 --version} runs. */
    static boolean available() {
        try {
            Path root = Repo.root();
            return run(root, root, List.of("--version")).exitCode() == 0;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Runs {@code python3 args...} in {@code dir} with the repository's deploy/export on the module path and no
     * bytecode written into the repository.
     */
    static Result run(Path root, Path dir, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(EXECUTABLE);
        command.addAll(args);
        Path log = null;
        try {
            log = Files.createTempFile("python", ".log");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()));
            pb.environment().put("PYTHONPATH", root.resolve("deploy/export").toString());
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            pb.environment().put("PYTHONIOENCODING", "utf-8");
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            if (log != null) {
                log.toFile().delete();
            }
        }
    }

    private static File nullFile() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
