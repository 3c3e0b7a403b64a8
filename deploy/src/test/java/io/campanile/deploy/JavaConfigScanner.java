package io.campanile.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the configuration keys that Java sources declare: {@code @ConfigMapping(prefix = ...)} interfaces, whose
 * parameterless methods become kebab-case keys (nested group interfaces add a segment, {@code @WithName} renames,
 * {@code @WithParentName} adds none, a {@code Map} stands for any sub-key), and {@code @ConfigProperty(name = ...)}.
 * A source reader, not a compiler: it handles the forms SmallRye Config documents, which is what the services use.
 */
final class JavaConfigScanner {
    private static final Pattern MAPPING = Pattern.compile("@(?:[\\w.]+\\.)?ConfigMapping\\s*\\(([^)]*)\\)");
    private static final Pattern PROPERTY = Pattern.compile("@(?:[\\w.]+\\.)?ConfigProperty\\s*\\(([^)]*)\\)");
    private static final Pattern STRING_ATTR = Pattern.compile("(?:(\\w+)\\s*=\\s*)?\"([^\"]*)\"");
    private static final Pattern INTERFACE = Pattern.compile("(?<![@\\w])interface\\s+(\\w+)");
    private static final Pattern GROUP_TYPES =
            Pattern.compile("(?:java\\.util\\.)?(Optional|List|Set|Collection)<(.+)>");
    private static final int MAX_DEPTH = 8;

    /** Interfaces of all scanned sources by simple name (groups may live in their own files). */
    private final Map<String, String> interfaceBodies = new HashMap<>();

    private final List<String[]> mappings = new ArrayList<>();
    private final KeySet keys = new KeySet();

    /** Keys declared by every {@code .java} file under the given source roots (missing roots are skipped). */
    static KeySet scan(List<Path> sourceRoots) {
        JavaConfigScanner scanner = new JavaConfigScanner();
        for (Path root : sourceRoots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(p -> scanner.read(Repo.read(p)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scanner.resolve();
    }

    /** Keys declared by source texts (for tests of the reader itself). */
    static KeySet scanSources(String... sources) {
        JavaConfigScanner scanner = new JavaConfigScanner();
        for (String s : sources) {
            scanner.read(s);
        }
        return scanner.resolve();
    }

    private void read(String source) {
        String code = JavaText.withoutComments(source);
        Matcher i = INTERFACE.matcher(code);
        while (i.find()) {
            int open = code.indexOf('{', i.end());
            if (open > 0) {
                interfaceBodies.put(i.group(1), code.substring(open + 1, JavaText.matchingBrace(code, open)));
            }
        }
        Matcher m = MAPPING.matcher(code);
        while (m.find()) {
            Matcher next = INTERFACE.matcher(code);
            if (next.find(m.end())) {
                mappings.add(new String[] {attribute(m.group(1), "prefix"), next.group(1)});
            }
        }
        Matcher p = PROPERTY.matcher(code);
        while (p.find()) {
            String name = attribute(p.group(1), "name");
            if (name != null) {
                keys.add(name);
            }
        }
    }

    private KeySet resolve() {
        for (String[] mapping : mappings) {
            keys.addMappingPrefix(mapping[0]);
            addGroup(mapping[0], mapping[1], 0);
        }
        return keys;
    }

    private void addGroup(String prefix, String interfaceName, int depth) {
        String body = interfaceBodies.get(interfaceName);
        if (body == null || depth > MAX_DEPTH) {
            return;
        }
        for (JavaText.Member member : JavaText.abstractMethods(body)) {
            String segment = member.annotation("WithName").orElse(kebab(member.name()));
            String key = member.annotation("WithParentName").isPresent() ? prefix : prefix + "." + segment;
            String type = unwrap(member.type());
            if (type.startsWith("Map<") || type.startsWith("java.util.Map<")) {
                keys.addPrefix(key + ".");
            } else if (interfaceBodies.containsKey(simpleName(type))) {
                addGroup(key, simpleName(type), depth + 1);
            } else {
                keys.add(key);
                member.annotation("WithDefault").ifPresent(d -> keys.addDefault(key, d));
            }
        }
    }

    private static String unwrap(String type) {
        Matcher g = GROUP_TYPES.matcher(type.replace(" ", ""));
        return g.matches() ? g.group(2) : type.replace(" ", "");
    }

    private static String simpleName(String type) {
        String t = type.contains("<") ? type.substring(0, type.indexOf('<')) : type;
        return t.substring(t.lastIndexOf('.') + 1);
    }

    private static String attribute(String args, String name) {
        Matcher a = STRING_ATTR.matcher(args);
        while (a.find()) {
            if (a.group(1) == null || a.group(1).equals(name)) {
                return a.group(2);
            }
        }
        return null;
    }

    /** SmallRye kebab-case: {@code bootstrapServers} -> {@code bootstrap-servers}, {@code jdbcURL} -> jdbc-url. */
    static String kebab(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean upper = Character.isUpperCase(c);
            if (upper && i > 0) {
                char prev = name.charAt(i - 1);
                boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (!Character.isUpperCase(prev) || nextLower) {
                    sb.append('-');
                }
            }
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString();
    }
}
