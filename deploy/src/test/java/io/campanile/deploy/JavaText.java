package io.campanile.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough Java lexing to read configuration interfaces (comments, braces, member declarations), record headers and
 * constants.
 */
final class JavaText {
    private static final Pattern METHOD = Pattern.compile("(?s)(.*\\S)\\s+(\\w+)\\s*\\(\\s*\\)");
    private static final Pattern MODIFIERS = Pattern.compile("^(?:(?:public|abstract)\\s+)*");
    private static final Pattern TYPE_KEYWORD = Pattern.compile("\\b(?:interface|class|enum|record)\\b");
    private static final Pattern JSON_PROPERTY = Pattern.compile("@JsonProperty\\(\\s*\"([^\"]+)\"\\s*\\)");
    private static final Pattern ENUM_CONSTANT = Pattern.compile("(\\w+)\\s*\\(\\s*\"([^\"]*)\"\\s*\\)");
    private static final Pattern CONSTANT = Pattern.compile(
            "static\\s+final\\s+(?:String|int|long)\\s+(\\w+)\\s*=\\s*(?:\"([^\"]*)\"|(-?\\d+)L?)\\s*;");

    private JavaText() {}

    /** An abstract method of an interface: its annotations (name to first string argument, or ""), type and name. */
    record Member(Map<String, String> annotations, String type, String name) {
        Optional<String> annotation(String simpleName) {
            return Optional.ofNullable(annotations.get(simpleName));
        }
    }

    /** The source with comments replaced by spaces; string and character literals are kept as they are. */
    static String withoutComments(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < src.length() && src.charAt(i + 1) == '/') {
                while (i < src.length() && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < src.length() && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? src.length() : end + 2;
                out.append(' ');
            } else if (c == '"' || c == '\'') {
                int end = endOfLiteral(src, i);
                out.append(src, i, end);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int endOfLiteral(String src, int start) {
        char quote = src.charAt(start);
        if (quote == '"' && src.startsWith("\"\"\"", start)) {
            int end = src.indexOf("\"\"\"", start + 3);
            return end < 0 ? src.length() : end + 3;
        }
        int i = start + 1;
        while (i < src.length() && src.charAt(i) != quote) {
            i += src.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, src.length());
    }

    /** Index of the brace closing the one at {@code open}, skipping literals (comments must be gone already). */
    static int matchingBrace(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '"' || c == '\'') {
                i = endOfLiteral(code, i) - 1;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return code.length();
    }

    /**
     * The parameterless abstract methods declared directly in an interface body: declarations that end with
     * {@code ;} at the top level. Bodies of default, static and private methods and nested types are skipped.
     */
    static List<Member> abstractMethods(String body) {
        List<Member> members = new ArrayList<>();
        int start = 0;
        int parens = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"' || c == '\'') {
                i = endOfLiteral(body, i) - 1;
            } else if (c == '(') {
                parens++;
            } else if (c == ')') {
                parens--;
            } else if (c == '{' && parens == 0) {
                i = matchingBrace(body, i);
                start = i + 1;
            } else if (c == ';' && parens == 0) {
                member(body.substring(start, i)).ifPresent(members::add);
                start = i + 1;
            }
        }
        return members;
    }

    private static Optional<Member> member(String declaration) {
        Map<String, String> annotations = new LinkedHashMap<>();
        String rest = declaration.strip();
        while (rest.startsWith("@")) {
            int nameEnd = 1;
            while (nameEnd < rest.length()
                    && (Character.isJavaIdentifierPart(rest.charAt(nameEnd)) || rest.charAt(nameEnd) == '.')) {
                nameEnd++;
            }
            String name = rest.substring(1, nameEnd);
            name = name.substring(name.lastIndexOf('.') + 1);
            String value = "";
            rest = rest.substring(nameEnd).stripLeading();
            if (rest.startsWith("(")) {
                int close = closingParen(rest);
                value = firstString(rest.substring(1, close));
                rest = rest.substring(close + 1).stripLeading();
            }
            annotations.put(name, value);
        }
        rest = MODIFIERS.matcher(rest).replaceFirst("");
        if (rest.contains("=")
                || TYPE_KEYWORD.matcher(rest).find()
                || rest.startsWith("default ")
                || rest.startsWith("static ")
                || rest.startsWith("private ")) {
            return Optional.empty();
        }
        Matcher m = METHOD.matcher(rest);
        return m.matches() ? Optional.of(new Member(annotations, m.group(1).strip(), m.group(2))) : Optional.empty();
    }

    /**
     * The components of {@code record name(...)} in the source, in order, each to its JSON name: the value of its
     * {@code @JsonProperty}, else the component's name (Jackson's default for records).
     */
    static Map<String, String> recordJsonNames(String source, String name) {
        String code = withoutComments(source);
        Matcher r = Pattern.compile("\\brecord\\s+" + Pattern.quote(name) + "\\s*\\(")
                .matcher(code);
        if (!r.find()) {
            throw new AssertionError("no record " + name);
        }
        String rest = code.substring(r.end() - 1);
        String header = rest.substring(1, closingParen(rest));
        Map<String, String> out = new LinkedHashMap<>();
        for (String component : topLevelParts(header)) {
            Matcher id = Pattern.compile("(\\w+)\\s*$").matcher(component.strip());
            if (!id.find()) {
                throw new AssertionError("unreadable component of " + name + ": " + component);
            }
            Matcher json = JSON_PROPERTY.matcher(component);
            out.put(id.group(1), json.find() ? json.group(1) : id.group(1));
        }
        return out;
    }

    /**
     * The constants of {@code enum name} in the source, in order, each to the string literal it is constructed with
     * ({@code T5("t5")}).
     */
    static Map<String, String> enumStrings(String source, String name) {
        String code = withoutComments(source);
        Matcher e =
                Pattern.compile("\\benum\\s+" + Pattern.quote(name) + "\\s*\\{").matcher(code);
        if (!e.find()) {
            throw new AssertionError("no enum " + name);
        }
        Map<String, String> out = new LinkedHashMap<>();
        Matcher c = ENUM_CONSTANT.matcher(code.substring(e.end(), code.indexOf(';', e.end())));
        while (c.find()) {
            out.put(c.group(1), c.group(2));
        }
        return out;
    }

    /** The {@code static final} String and int constants of a source, by name, literal values as written. */
    static Map<String, String> constants(String source) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher c = CONSTANT.matcher(withoutComments(source));
        while (c.find()) {
            out.put(c.group(1), c.group(2) != null ? c.group(2) : c.group(3));
        }
        return out;
    }

    /** Splits at commas outside parentheses and angle brackets. */
    private static List<String> topLevelParts(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = endOfLiteral(s, i) - 1;
            } else if (c == '(' || c == '<') {
                depth++;
            } else if (c == ')' || c == '>') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (!s.substring(start).isBlank()) {
            parts.add(s.substring(start));
        }
        return parts;
    }

    private static int closingParen(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = endOfLiteral(s, i) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return s.length() - 1;
    }

    private static String firstString(String args) {
        int q = args.indexOf('"');
        if (q < 0) {
            return args.strip();
        }
        int end = endOfLiteral(args, q);
        return args.substring(q + 1, end - 1);
    }
}
