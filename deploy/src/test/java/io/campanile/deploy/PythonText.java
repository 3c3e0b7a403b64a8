package io.campanile.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough Python reading for the export scripts' module-level constants: literals, sets, dicts of sets. */
final class PythonText {
    private static final Pattern STRING = Pattern.compile("\"([^\"\\\\]*)\"|'([^'\\\\]*)'");
    private static final Pattern DICT_OF_SETS = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\\{([^}]*)}");

    private PythonText() {}

    /**
     * The right-hand side of the module-level assignment {@code name = ...} (comments removed): a bracketed value up to
     * its closing bracket, anything else to the end of its line.
     *
     * @throws AssertionError when the module has no such assignment
     */
    static String assignment(String source, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s*(?::[^=\\n]+)?=\\s*")
                .matcher(source);
        if (!m.find()) {
            throw new AssertionError("no module-level assignment " + name + " = ...");
        }
        int start = m.end();
        char first = source.charAt(start);
        int end = "{[(".indexOf(first) >= 0 ? closing(source, start) + 1 : lineEnd(source, start);
        return withoutComments(source.substring(start, end)).strip();
    }

    /** The string literals of a value, in order. */
    static List<String> strings(String value) {
        List<String> out = new ArrayList<>();
        Matcher s = STRING.matcher(value);
        while (s.find()) {
            out.add(s.group(1) != null ? s.group(1) : s.group(2));
        }
        return out;
    }

    /** The string constant {@code name = "..."} of a module. */
    static String string(String source, String name) {
        List<String> s = strings(assignment(source, name));
        if (s.size() != 1) {
            throw new AssertionError(name + " is not one string literal: " + assignment(source, name));
        }
        return s.get(0);
    }

    /** The integer constant {@code name = 123} of a module. */
    static int integer(String source, String name) {
        return Integer.parseInt(assignment(source, name));
    }

    /** A set literal {@code {"a", "b"}} of strings. */
    static Set<String> stringSet(String source, String name) {
        String value = assignment(source, name);
        if (!value.startsWith("{") || value.contains(":")) {
            throw new AssertionError(name + " is not a set literal of strings: " + value);
        }
        return new LinkedHashSet<>(strings(value));
    }

    /** A dict literal {@code {"k": {"a", "b"}, ...}} of string sets. */
    static Map<String, Set<String>> dictOfStringSets(String source, String name) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        Matcher e = DICT_OF_SETS.matcher(assignment(source, name));
        while (e.find()) {
            out.put(e.group(1), new LinkedHashSet<>(strings(e.group(2))));
        }
        if (out.isEmpty()) {
            throw new AssertionError(name + " is not a dict literal of string sets");
        }
        return out;
    }

    private static int closing(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                i = endOfString(s, i) - 1;
            } else if (c == '#') {
                i = lineEnd(s, i) - 1;
            } else if ("{[(".indexOf(c) >= 0) {
                depth++;
            } else if ("}])".indexOf(c) >= 0 && --depth == 0) {
                return i;
            }
        }
        throw new AssertionError("unbalanced brackets from offset " + open);
    }

    private static String withoutComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                int end = endOfString(s, i);
                out.append(s, i, end);
                i = end - 1;
            } else if (c == '#') {
                i = lineEnd(s, i) - 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int endOfString(String s, int start) {
        char quote = s.charAt(start);
        int i = start + 1;
        while (i < s.length() && s.charAt(i) != quote) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, s.length());
    }

    private static int lineEnd(String s, int from) {
        int nl = s.indexOf('\n', from);
        return nl < 0 ? s.length() : nl;
    }
}
