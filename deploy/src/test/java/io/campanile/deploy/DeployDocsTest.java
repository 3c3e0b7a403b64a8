package io.campanile.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What docs/deploy.md and the deploy files' comments say about the code, where a test can tell. */
class DeployDocsTest {
    static final Path DOC = Path.of("docs/deploy.md");
    /** "... loads ... before the HTTP server answers": the workers load packs on first use (PackLoader). */
    private static final Pattern LOAD_AT_START =
            Pattern.compile("(?is)\\bload\\w*[^.]{0,120}?before the HTTP server (?:answers|starts)");

    @Test
    void thePlannedKeysParagraphSaysWhatPlannedKeysHolds() {
        String doc = Repo.read(Repo.root().resolve(DOC));
        int at = doc.indexOf("`PlannedKeys`");
        assertTrue(at >= 0, DOC + " no longer mentions PlannedKeys: update this test");
        String paragraph = doc.substring(at, Math.max(doc.indexOf("\n\n", at), at));
        if (PlannedKeys.KEYS.isEmpty()) {
            assertTrue(
                    paragraph.contains("The list is empty"),
                    DOC + " must say that PlannedKeys is empty:\n" + paragraph);
        } else {
            PlannedKeys.KEYS
                    .values()
                    .forEach(keys -> keys.forEach(k -> assertTrue(
                            paragraph.contains(k), DOC + " must name the planned key " + k + ":\n" + paragraph)));
        }
    }

    @Test
    void noDeployFileSaysModelsLoadBeforeTheServerAnswers() {
        Path root = Repo.root();
        List<Path> files = new ArrayList<>(List.of(root.resolve(DOC), root.resolve(ComposeChecks.FILE)));
        try (Stream<Path> k8s = Files.walk(root.resolve("deploy/k8s"))) {
            k8s.filter(Files::isRegularFile).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> claims = new ArrayList<>();
        for (Path f : files) {
            Matcher m = LOAD_AT_START.matcher(Repo.read(f));
            while (m.find()) {
                claims.add(root.relativize(f) + ": " + m.group().replaceAll("\\s+", " "));
            }
        }
        assertTrue(
                claims.isEmpty(),
                "model packs load on the first job that names them (libs/engine-packs PackLoader, "
                        + "text-encoder EncoderPacks), not before the HTTP server answers:\n  "
                        + String.join("\n  ", claims));
    }
}
