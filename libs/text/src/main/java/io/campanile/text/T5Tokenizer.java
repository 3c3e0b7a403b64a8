package io.campanile.text;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The T5 v1.1 tokenizer with the ids of the reference (Hugging Face {@code T5Tokenizer}, legacy mode) as DeepFloyd IF
 * calls it: SentencePiece Unigram segmentation of {@code spiece.model}, {@code </s>} (id 1) appended, padding with
 * {@code <pad>} (id 0) to exactly {@link #MAX_LENGTH} tokens, truncation that keeps {@code </s>} last, and the 100
 * sentinels {@code <extra_id_N>} numbered down from the top of the vocabulary ({@code <extra_id_0>} = 32099 for the
 * 32000-piece T5 model). Special tokens written in the text ({@code <extra_id_N>}, {@code </s>}, {@code <pad>},
 * {@code <unk>}) are their own tokens; a sentinel also swallows the white space around it.
 *
 * <p>The SentencePiece native library comes from djl's jar and is extracted into {@code DJL_CACHE_DIR} (a system
 * property or environment variable; set it to a folder the service owns). When neither is set, this class sets the
 * system property to {@code <java.io.tmpdir>/campanile-djl} rather than let djl write into the user's home. Thread-safe.
 */
public final class T5Tokenizer implements AutoCloseable {
    /** Tokens the IF pipelines give the encoder. */
    public static final int MAX_LENGTH = 77;

    public static final int PAD_ID = 0;
    public static final int EOS_ID = 1;
    public static final int UNK_ID = 2;
    /** Sentinels {@code <extra_id_0>} .. {@code <extra_id_99>}. */
    public static final int EXTRA_IDS = 100;

    public static final String EOS = "</s>";

    private static final String BUNDLED = "spiece.model";

    static {
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            System.setProperty(
                    "DJL_CACHE_DIR",
                    Path.of(System.getProperty("java.io.tmpdir"), "campanile-djl")
                            .toString());
        }
    }

    private final SpTokenizer sp;
    private final SpProcessor processor;
    private final int pieceCount;

    private T5Tokenizer(byte[] model) {
        this.pieceCount = SpieceModel.pieceCount(model);
        this.sp = new SpTokenizer(model);
        this.processor = sp.getProcessor();
    }

    /** The tokenizer of the {@code spiece.model} shipped in this library (T5 v1.1, 32000 pieces, Apache-2.0). */
    public static T5Tokenizer load() {
        try (InputStream in = T5Tokenizer.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the bundled " + BUNDLED + " is missing from the classpath");
            }
            return new T5Tokenizer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + BUNDLED, e);
        }
    }

    /** The tokenizer of a SentencePiece model file (a text-encoder pack's {@code tokenizer}). */
    public static T5Tokenizer load(Path spieceModel) {
        try {
            return new T5Tokenizer(Files.readAllBytes(spieceModel));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + spieceModel, e);
        }
    }

    /** What the IF pipelines do to a prompt before tokenizing it: {@code text.lower().strip()}. */
    public static String normalize(String text) {
        return PythonText.strip(text.toLowerCase(Locale.ROOT));
    }

    /** {@link #encode} of the {@link #normalize normalised} prompt: exactly what IF's encoder receives. */
    public Encoding encodePrompt(String prompt) {
        return encode(normalize(prompt));
    }

    /** Tokenizes the text as it is (no lower-casing; see {@link #encodePrompt}) to {@link #MAX_LENGTH} tokens. */
    public Encoding encode(String text) {
        List<Integer> tokens = new ArrayList<>();
        int from = 0;
        for (SpecialTokens.Match m : SpecialTokens.scan(text).matches()) {
            segment(text.substring(from, m.start()), tokens);
            tokens.add(specialId(m));
            from = m.end();
        }
        segment(text.substring(from), tokens);
        boolean truncated = tokens.size() + 1 > MAX_LENGTH;
        List<Integer> kept = new ArrayList<>(tokens.subList(0, Math.min(tokens.size(), MAX_LENGTH - 1)));
        kept.add(EOS_ID);
        long[] ids = new long[MAX_LENGTH];
        long[] mask = new long[MAX_LENGTH];
        List<String> pieces = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            ids[i] = kept.get(i);
            mask[i] = 1;
            pieces.add(piece(kept.get(i)));
        }
        Arrays.fill(ids, kept.size(), MAX_LENGTH, PAD_ID);
        return new Encoding(ids, mask, pieces, kept.size(), truncated, MAX_LENGTH);
    }

    /** The vocabulary size including the sentinels (32100 for T5). */
    public int vocabularySize() {
        return pieceCount + EXTRA_IDS;
    }

    /** The id of {@code <extra_id_n>}. */
    public int sentinelId(int n) {
        if (n < 0 || n >= EXTRA_IDS) {
            throw new IllegalArgumentException("sentinels are <extra_id_0> .. <extra_id_99>, not " + n);
        }
        return pieceCount + EXTRA_IDS - 1 - n;
    }

    /** The piece of an id: a SentencePiece piece, {@code </s>}, {@code <pad>}, {@code <unk>} or a sentinel. */
    public String piece(int id) {
        if (id >= pieceCount && id < vocabularySize()) {
            return "<extra_id_" + (vocabularySize() - 1 - id) + ">";
        }
        if (id < 0 || id >= pieceCount) {
            throw new IllegalArgumentException("no token id " + id + " in a vocabulary of " + vocabularySize());
        }
        synchronized (processor) {
            return processor.getToken(id);
        }
    }

    private int specialId(SpecialTokens.Match m) {
        if (m.sentinel() >= 0) {
            return sentinelId(m.sentinel());
        }
        return switch (m.text()) {
            case EOS -> EOS_ID;
            case "<pad>" -> PAD_ID;
            default -> UNK_ID;
        };
    }

    private void segment(String text, List<Integer> out) {
        if (text.isEmpty()) {
            return;
        }
        int[] ids;
        synchronized (processor) {
            ids = processor.encode(text);
        }
        for (int id : ids) {
            out.add(id);
        }
    }

    @Override
    public void close() {
        sp.close();
    }
}
