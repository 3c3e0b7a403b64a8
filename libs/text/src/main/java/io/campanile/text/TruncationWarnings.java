package io.campanile.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Tells the user which of a job's prompts the T5 encoder will not read in full, and where they are cut. */
public final class TruncationWarnings {
    private TruncationWarnings() {}

    /**
     * One sentence per prompt of {@code params} (see {@link PromptFields}) longer than {@link T5Tokenizer#MAX_LENGTH}
     * tokens; empty when every prompt fits.
     */
    public static List<String> of(T5Tokenizer tokenizer, JsonNode params) {
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, String> e : PromptFields.of(params).entrySet()) {
            Encoding enc = tokenizer.encodePrompt(e.getValue());
            if (enc.truncated()) {
                warnings.add(warning(e.getKey(), enc));
            }
        }
        return warnings;
    }

    /** The warning for one truncated prompt, naming the last words the encoder still reads. */
    public static String warning(String field, Encoding enc) {
        List<String> kept = enc.pieces().subList(Math.max(0, enc.tokenCount() - 6), enc.tokenCount() - 1);
        String tail = String.join("", kept).replace('\u2581', ' ').strip();
        return "'" + field + "' is longer than the " + enc.maxLength() + " tokens the T5 encoder reads ("
                + (enc.maxLength() - 1) + " and " + T5Tokenizer.EOS + "): it is cut after \"..." + tail + "\"";
    }
}
