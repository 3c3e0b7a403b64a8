package io.campanile.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the CLI's API key comes from, first found: {@code --key}, the environment variable
 * {@code CAMPANILE_API_KEY}, then the file {@code .campanile/api-key} that {@code ./campanile up} writes, in the
 * repository root (the system property {@code campanile.root}, which the {@code campanile} script sets) or else in
 * the working directory.
 */
final class ApiKeySource {
    /** The key file, relative to the repository root or the working directory. */
    static final Path FILE = Path.of(".campanile", "api-key");

    /** A key and where it was found (for messages: never the key itself). */
    record Key(String value, String source) {}

    private ApiKeySource() {}

    /** The key for this process, or null when there is none. */
    static Key resolve(String option) {
        List<Path> files = new ArrayList<>();
        String root = System.getProperty("campanile.root");
        if (root != null && !root.isBlank()) {
            files.add(Path.of(root).resolve(FILE));
        }
        files.add(FILE.toAbsolutePath());
        return resolve(option, System.getenv(), files);
    }

    /** The first key of: the option, {@code CAMPANILE_API_KEY} in {@code env}, the first readable file. */
    static Key resolve(String option, Map<String, String> env, List<Path> files) {
        if (option != null && !option.isBlank()) {
            return new Key(option.trim(), "--key");
        }
        String fromEnv = env.get("CAMPANILE_API_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Key(fromEnv.trim(), "CAMPANILE_API_KEY");
        }
        for (Path f : files) {
            if (Files.isRegularFile(f)) {
                try {
                    String k = Files.readString(f).trim();
                    if (!k.isEmpty()) {
                        return new Key(k, f.toString());
                    }
                } catch (IOException e) {
                    throw new CliException(CliException.UNAUTHORIZED, "cannot read the API key file " + f + ": " + e);
                }
            }
        }
        return null;
    }
}
