package io.campanile.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class T5TokenizerTest {
    private static T5Tokenizer tok;

    @BeforeAll
    static void load() {
        tok = T5Tokenizer.load();
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    /**
     * The reference ids: pytorch/text commit a5e610638ea47b4412a29cdb708ac5f2fabb1286,
     * test/torchtext_unittest/models/t5_test_transforms.py (T5Transform over the same spiece.model, eos 1, pad 0).
     */
    @Test
    void referenceIdsOfTheT5Tokenizer() {
        Encoding e = tok.encode("Hello World!, how are you?");
        long[] expected = {8774, 1150, 55, 6, 149, 33, 25, 58, 1};
        assertArrayEquals(expected, Arrays.copyOf(e.ids(), expected.length));
        assertEquals(List.of("▁Hello", "▁World", "!", ",", "▁how", "▁are", "▁you", "?", "</s>"), e.pieces());
        assertEquals(9, e.tokenCount());
        assertFalse(e.truncated());
        assertEquals(77, e.ids().length);
        assertTrue(IntStream.range(9, 77).allMatch(i -> e.ids()[i] == 0 && e.attentionMask()[i] == 0));
        assertTrue(IntStream.range(0, 9).allMatch(i -> e.attentionMask()[i] == 1));
        assertEquals(77, e.maxLength());
    }

    @Test
    void promptsAreLowerCasedAndStrippedAsIfDoes() {
        assertEquals("hello world!", T5Tokenizer.normalize("  Hello World!\n"));
        assertEquals("a dog", T5Tokenizer.normalize("\u00a0\u3000A Dog\t\u2003"), "Python's strip removes NBSP");
        assertArrayEquals(
                tok.encode("hello world!").ids(),
                tok.encodePrompt("  Hello World!\n").ids());
        assertEquals("▁hello", tok.encodePrompt("Hello").pieces().get(0));
    }

    @Test
    void emptyPromptIsJustEndOfSequence() {
        Encoding e = tok.encodePrompt("");
        long[] ids = new long[77];
        ids[0] = 1;
        assertArrayEquals(ids, e.ids());
        assertEquals(List.of("</s>"), e.pieces());
        assertEquals(1, e.tokenCount());
        assertEquals(1, Arrays.stream(e.attentionMask()).sum());
        assertArrayEquals(ids, tok.encodePrompt(" \t\n ").ids(), "white space only is the empty prompt");
    }

    @Test
    void whitespaceRunsCollapse() {
        assertArrayEquals(
                tok.encode("a photo of a dog").ids(),
                tok.encode("a   photo \t of\n\n a  dog").ids());
    }

    @Test
    void truncationKeepsEndOfSequence() {
        Encoding fits = tok.encode(words(76));
        assertFalse(fits.truncated());
        assertEquals(77, fits.tokenCount());
        assertEquals(1, fits.ids()[76]);

        Encoding cut = tok.encode(words(77));
        assertTrue(cut.truncated());
        assertEquals(77, cut.tokenCount());
        assertEquals(1, cut.ids()[76]);
        assertTrue(Arrays.stream(cut.attentionMask()).allMatch(m -> m == 1));
        assertArrayEquals(fits.ids(), cut.ids(), "the 77th word is the one cut");

        Encoding veryLong = tok.encode("an oil painting of a snowy mountain village ".repeat(200));
        assertTrue(veryLong.truncated());
        assertEquals(77, veryLong.pieces().size());
        assertEquals("</s>", veryLong.pieces().get(76));
        assertEquals(1, veryLong.ids()[76]);
        assertTrue(Arrays.stream(veryLong.ids()).noneMatch(id -> id == 0));
    }

    /** n words that are one token each (see {@link #oneTokenPerWordInTheTruncationCase}). */
    private static String words(int n) {
        return IntStream.range(0, n).mapToObj(i -> "dog").collect(Collectors.joining(" "));
    }

    @Test
    void oneTokenPerWordInTheTruncationCase() {
        assertEquals(List.of("▁dog", "▁dog", "</s>"), tok.encode("dog dog").pieces());
    }

    @Test
    void sentinelsCountDownFromTheTopOfTheVocabulary() {
        assertEquals(32100, tok.vocabularySize());
        assertEquals(32099, tok.encode("<extra_id_0>").ids()[0]);
        assertEquals(32000, tok.encode("<extra_id_99>").ids()[0]);
        assertEquals(32089, tok.sentinelId(10));
        assertEquals("<extra_id_0>", tok.piece(32099));
        Encoding e = tok.encode("the <extra_id_0> dog on <extra_id_1>");
        assertEquals(List.of("▁the", "<extra_id_0>", "▁dog", "▁on", "<extra_id_1>", "</s>"), e.pieces());
        assertEquals(32098, e.ids()[4]);
        assertArrayEquals(
                e.ids(), tok.encode("the<extra_id_0>dog on<extra_id_1>").ids(), "white space is swallowed");
        assertThrows(IllegalArgumentException.class, () -> tok.sentinelId(100));
    }

    @Test
    void specialTokensInTheTextAreTokens() {
        Encoding e = tok.encode("dog</s>dog");
        assertEquals(List.of("▁dog", "</s>", "▁dog", "</s>"), e.pieces());
        assertEquals(1, e.ids()[1]);
        assertEquals(2, tok.encode("<unk>").ids()[0]);
        assertEquals(0, tok.encode("<pad>").ids()[0]);
    }

    @Test
    void unicode() {
        assertArrayEquals(tok.encode("hello").ids(), tok.encode("ｈｅｌｌｏ").ids(), "NFKC folds full-width letters");
        Encoding cafe = tok.encode("café crème");
        assertEquals("▁café▁crème", String.join("", cafe.pieces().subList(0, cafe.tokenCount() - 1)));
        assertTrue(Arrays.stream(cafe.ids()).noneMatch(id -> id == T5Tokenizer.UNK_ID));
        Encoding cjk = tok.encode("東京 🙂");
        assertTrue(Arrays.stream(cjk.ids()).anyMatch(id -> id == T5Tokenizer.UNK_ID), Arrays.toString(cjk.ids()));
        assertTrue(cjk.pieces().contains("<unk>"));
    }

    @Test
    void loadsAModelFile(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("spiece.model");
        try (InputStream in = T5Tokenizer.class.getResourceAsStream("spiece.model")) {
            Files.write(model, in.readAllBytes());
        }
        try (T5Tokenizer fromFile = T5Tokenizer.load(model)) {
            assertArrayEquals(
                    tok.encode("a rocket ship").ids(),
                    fromFile.encode("a rocket ship").ids());
        }
        Path junk = dir.resolve("junk.model");
        Files.write(junk, new byte[] {(byte) 0xff, (byte) 0xff, 0x07});
        assertThrows(IllegalArgumentException.class, () -> T5Tokenizer.load(junk));
    }
}
