package io.campanile.chaos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.Json;
import io.campanile.testpacks.TestPacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The poison pack: {@code test-if-stage1} under another id. Nothing is wrong with the pack itself; the stack's
 * stage-1 replicas are started with {@code campanile.worker.chaos-halt-model} naming it, so a replica halts its JVM
 * (as a native crash or an OOM kill would) whenever it starts a job on it. A copy keeps the fault off every other
 * job.
 */
final class PoisonPack {
    private PoisonPack() {}

    /** Writes {@value JobBodies#POISON_PACK} into {@code packsDir} (the stack's packs folder, before it starts). */
    static void install(Path packsDir) throws IOException {
        Path source = TestPacks.stage1(packsDir).dir();
        Path target = Files.createDirectories(packsDir.resolve(JobBodies.POISON_PACK));
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals("manifest.json")) {
                    Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        ObjectNode manifest = (ObjectNode)
                Json.mapper().readTree(source.resolve("manifest.json").toFile());
        manifest.put("id", JobBodies.POISON_PACK);
        manifest.put("description", "chaos suite: a copy of test-if-stage1 whose jobs halt the stage-1 worker");
        Files.writeString(target.resolve("manifest.json"), manifest.toPrettyString());
    }
}
