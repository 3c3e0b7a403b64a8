package io.campanile.text;

import java.util.List;

/**
 * A prompt as the T5 encoder sees it.
 *
 * @param ids exactly {@code maxLength} token ids: the prompt's tokens, {@code </s>} (id 1), then padding (id 0)
 * @param attentionMask {@code maxLength} entries: 1 for the real tokens (including {@code </s>}), 0 for padding
 * @param pieces the real tokens as SentencePiece pieces (e.g. {@code ▁hello}), including {@code </s>}, no padding
 * @param tokenCount how many real tokens, including {@code </s>} ({@code pieces.size()})
 * @param truncated whether the prompt had more tokens than fit; the cut keeps {@code </s>} last
 * @param maxLength the sequence length (77 for IF)
 */
public record Encoding(
        long[] ids, long[] attentionMask, List<String> pieces, int tokenCount, boolean truncated, int maxLength) {

    public Encoding {
        if (ids.length != maxLength || attentionMask.length != maxLength) {
            throw new IllegalArgumentException("ids and mask must have " + maxLength + " entries, had " + ids.length
                    + " and " + attentionMask.length);
        }
        if (pieces.size() != tokenCount) {
            throw new IllegalArgumentException(tokenCount + " tokens but " + pieces.size() + " pieces");
        }
        pieces = List.copyOf(pieces);
    }
}
