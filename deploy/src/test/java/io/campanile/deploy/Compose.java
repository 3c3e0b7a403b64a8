package io.campanile.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A compose file with its services, and the variable interpolation Compose applies to it. */
final class Compose {
    /** {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:?message}}. */
    static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    final Path file;
    final Map<String, Object> doc;
    final Map<String, Map<String, Object>> services = new LinkedHashMap<>();

    private Compose(Path file) {
        this.file = file;
        this.doc = Yamls.load(file);
        Yamls.map(doc.get("services")).forEach((name, s) -> services.put(name, Yamls.map(s)));
    }

    static Compose load(Path file) {
        return new Compose(file);
    }

    Map<String, Object> service(String name) {
        return services.getOrDefault(name, Map.of());
    }

    /** The environment of a service as written (list or mapping form), values not interpolated. */
    Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object raw = service(service).get("environment");
        if (raw instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else {
            for (Object item : Yamls.list(raw)) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    /** Names of the variables the file interpolates, anywhere in its values. */
    Set<String> variables() {
        Set<String> names = new TreeSet<>();
        collect(doc, names);
        return names;
    }

    private static void collect(Object node, Set<String> names) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                collect(k, names);
                collect(v, names);
            });
        } else if (node instanceof Iterable<?> it) {
            it.forEach(v -> collect(v, names));
        } else if (node instanceof String s) {
            Matcher m = VARIABLE.matcher(s);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
    }

    /** Interpolates like Compose, with {@code vars} standing for the .env file (an empty value counts as unset). */
    static String interpolate(String value, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String set = vars.getOrDefault(m.group(1), "");
            String replacement =
                    !set.isEmpty() || m.group(2) == null || m.group(2).endsWith("?") ? set : m.group(3);
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString().replace("$$", "$");
    }

    /** A .env-style file: NAME=value lines, comments and blank lines skipped. */
    static Map<String, String> readEnvFile(Path file) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return vars;
        }
        for (String line : Repo.read(file).split("\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (!l.isEmpty() && !l.startsWith("#") && eq > 0) {
                vars.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
            }
        }
        return vars;
    }
}
