package io.campanile.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The special-token scan finds what the regex it replaced found, and its work grows linearly with the text. The work
 * is counted (characters inspected), never timed, so the test cannot be flaky.
 */
class SpecialTokensTest {
    /** The regex T5Tokenizer used before: right, but quadratic on long white space runs. */
    private static final Pattern REGEX = Pattern.compile("\\s*<extra_id_(\\d{1,2})>\\s*|</s>|<pad>|<unk>");

    private static final String[] ALPHABET = {
        " ",
        " ",
        "\t",
        "\n",
        "\u000b",
        "\f",
        "\r",
        "\u00a0",
        "a",
        "dog",
        "<",
        ">",
        "0",
        "7",
        "42",
        "123",
        "<extra_id_",
        "<extra_id_1>",
        "<extra_id_99>",
        "<extra_id_100>",
        "</s>",
        "</s",
        "<pad>",
        "<unk>",
        "<UNK>",
        "_",
        "é"
    };

    @Test
    void findsWhatTheRegexFound() {
        Random random = new Random(15);
        for (int k = 0; k < 20_000; k++) {
            StringBuilder b = new StringBuilder();
            int parts = random.nextInt(12);
            for (int p = 0; p < parts; p++) {
                b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            String text = b.toString();
            assertEquals(regex(text), scanned(text), () -> "text '" + text + "'");
        }
    }

    @Test
    void examples() {
        assertEquals(List.of("0:12 <extra_id_0> 0"), scanned("<extra_id_0>"));
        assertEquals(List.of("3:20 <extra_id_07> 7"), scanned("the \t<extra_id_07>\n dog"), "white space swallowed");
        assertEquals(List.of("3:7 </s> -1"), scanned("dog</s> dog"));
        assertEquals(List.of(), scanned("<extra_id_100> <extra_id_> <extra_id_1 </S>"));
    }

    @Test
    void workGrowsLinearlyWithTheText() {
        String[] hostile = {" ", "\t\n", "<", "<extra_id_", "<extra_id_1", " <extra_id_1>", "</s", "a "};
        for (String unit : hostile) {
            long small = SpecialTokens.scan("a" + unit.repeat(8_000) + "a").steps();
            long large = SpecialTokens.scan("a" + unit.repeat(32_000) + "a").steps();
            int length = 2 + unit.length() * 32_000;
            assertTrue(large <= 4.01 * small, unit + ": 4x the text took " + large + " steps against " + small);
            assertTrue(large <= 13L * length, unit + ": " + large + " steps for " + length + " characters");
        }
    }

    @Test
    void aLongWhiteSpaceRunIsOneSeparator() {
        try (T5Tokenizer tok = T5Tokenizer.load()) {
            assertArrayEquals(
                    tok.encode("a a").ids(),
                    tok.encodePrompt("a" + " ".repeat(32_000) + "a").ids());
            assertArrayEquals(
                    tok.encode("a<extra_id_3>a").ids(),
                    tok.encode("a" + " ".repeat(32_000) + "<extra_id_3>a").ids());
        }
    }

    private static List<String> regex(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = REGEX.matcher(text);
        while (m.find()) {
            int sentinel = m.group(1) == null ? -1 : Integer.parseInt(m.group(1));
            out.add(m.start() + ":" + m.end() + " " + m.group().strip() + " " + sentinel);
        }
        return out;
    }

    private static List<String> scanned(String text) {
        return SpecialTokens.scan(text).matches().stream()
                .map(m -> m.start() + ":" + m.end() + " " + m.text() + " " + m.sentinel())
                .toList();
    }
}
