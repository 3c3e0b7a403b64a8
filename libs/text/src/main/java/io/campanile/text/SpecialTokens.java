package io.campanile.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the special tokens written in a text, in one left-to-right pass: {@code <extra_id_N>} (N one or two digits,
 * with the ASCII white space around it swallowed), {@code </s>}, {@code <pad>} and {@code <unk>}. It finds exactly
 * what {@code Matcher.find} of {@code \s*<extra_id_(\d{1,2})>\s*|</s>|<pad>|<unk>} finds, without the regex's
 * quadratic cost: the leading {@code \s*} made the regex engine try every white space character as a match start and
 * scan the rest of the run from each ("a" + 32,000 spaces + "a" took seconds). Here a white space run is scanned once
 * and a sentinel's match starts where the run before it started.
 */
final class SpecialTokens {
    private static final String SENTINEL = "<extra_id_";
    private static final String[] OTHERS = {T5Tokenizer.EOS, "<pad>", "<unk>"};

    /**
     * One special token in the text.
     *
     * @param start first character of the match (the white space before a sentinel included)
     * @param end the character after the match (the white space after a sentinel included)
     * @param sentinel the sentinel's number, or -1 for the other tokens
     * @param text the token without its white space ({@code </s>}, {@code <pad>}, {@code <unk>}, {@code <extra_id_7>})
     */
    record Match(int start, int end, int sentinel, String text) {}

    /**
     * The special tokens of a text, in order, and the work it took.
     *
     * @param matches the tokens found
     * @param steps characters inspected: at most a small constant times the text's length (the tests hold it to that)
     */
    record Scan(List<Match> matches, long steps) {}

    private SpecialTokens() {}

    static Scan scan(String text) {
        List<Match> out = new ArrayList<>();
        long steps = 0;
        int runStart = -1; // first character of the white space run that ends at i, or -1
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            steps++;
            if (isRegexSpace(c)) {
                if (runStart < 0) {
                    runStart = i;
                }
                i++;
                continue;
            }
            if (c == '<') {
                steps += SENTINEL.length() + 2;
                int close = sentinelClose(text, i);
                if (close > 0) {
                    int end = close + 1;
                    while (end < n && isRegexSpace(text.charAt(end))) {
                        end++;
                        steps++;
                    }
                    int number = Integer.parseInt(text.substring(i + SENTINEL.length(), close));
                    out.add(new Match(runStart >= 0 ? runStart : i, end, number, text.substring(i, close + 1)));
                    runStart = -1;
                    i = end;
                    continue;
                }
                String other = other(text, i);
                if (other != null) {
                    out.add(new Match(i, i + other.length(), -1, other));
                    runStart = -1;
                    i += other.length();
                    continue;
                }
            }
            runStart = -1;
            i++;
        }
        return new Scan(out, steps);
    }

    /** The index of the {@code '>'} of {@code <extra_id_D>} or {@code <extra_id_DD>} at {@code at}, or -1. */
    private static int sentinelClose(String text, int at) {
        if (!text.startsWith(SENTINEL, at)) {
            return -1;
        }
        int d = at + SENTINEL.length();
        if (!isDigit(text, d)) {
            return -1;
        }
        if (d + 1 < text.length() && text.charAt(d + 1) == '>') {
            return d + 1;
        }
        if (isDigit(text, d + 1) && d + 2 < text.length() && text.charAt(d + 2) == '>') {
            return d + 2;
        }
        return -1;
    }

    private static String other(String text, int at) {
        for (String token : OTHERS) {
            if (text.startsWith(token, at)) {
                return token;
            }
        }
        return null;
    }

    private static boolean isDigit(String text, int at) {
        return at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9';
    }

    /** The regex class {@code \s} without UNICODE_CHARACTER_CLASS: space, tab, line feed, VT, form feed, CR. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
