package io.campanile.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * .dockerignore rules as Docker applies them: a path is left out of the build context when the last rule matching it
 * or one of its parent folders is not a {@code !} exception. {@code *} and {@code ?} stay within a path segment,
 * {@code **} crosses segments.
 */
final class DockerIgnore {
    private record Rule(Pattern pattern, boolean exception) {}

    private final List<Rule> rules = new ArrayList<>();

    DockerIgnore(String text) {
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exception = line.startsWith("!");
            String p = (exception ? line.substring(1) : line)
                    .strip()
                    .replaceAll("^/+", "")
                    .replaceAll("/+$", "");
            rules.add(new Rule(Pattern.compile(regex(p)), exception));
        }
    }

    /** Whether a path relative to the context root (forward slashes) is left out of the context. */
    boolean excludes(String path) {
        boolean excluded = false;
        for (Rule r : rules) {
            if (matchesOrParent(r.pattern(), path)) {
                excluded = !r.exception();
            }
        }
        return excluded;
    }

    private static boolean matchesOrParent(Pattern p, String path) {
        String[] parts = path.split("/");
        StringBuilder prefix = new StringBuilder();
        for (String part : parts) {
            prefix.append(prefix.length() == 0 ? "" : "/").append(part);
            if (p.matcher(prefix).matches()) {
                return true;
            }
        }
        return false;
    }

    private static String regex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                sb.append(".*");
                i++;
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                    i++;
                    sb.append("/?");
                }
            } else if (c == '*') {
                sb.append("[^/]*");
            } else if (c == '?') {
                sb.append("[^/]");
            } else if ("\\.[]{}()+-^$|".indexOf(c) >= 0) {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
