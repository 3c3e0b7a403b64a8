package io.campanile.text;

/**
 * Reads what the tokenizer needs from a SentencePiece {@code ModelProto} without a protobuf library: the number of
 * pieces (field 1, {@code repeated SentencePiece pieces}). The sentinels {@code <extra_id_N>} are numbered after them.
 */
final class SpieceModel {
    private SpieceModel() {}

    /** Counts the top-level field-1 entries; throws {@link IllegalArgumentException} on a malformed message. */
    static int pieceCount(byte[] proto) {
        int count = 0;
        int[] pos = {0};
        while (pos[0] < proto.length) {
            long tag = varint(proto, pos);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (wire) {
                case 0 -> varint(proto, pos);
                case 1 -> pos[0] += 8;
                case 2 -> {
                    long len = varint(proto, pos);
                    if (len < 0 || pos[0] + len > proto.length) {
                        throw new IllegalArgumentException("not a SentencePiece model: truncated field " + field);
                    }
                    pos[0] += (int) len;
                    if (field == 1) {
                        count++;
                    }
                }
                case 5 -> pos[0] += 4;
                default -> throw new IllegalArgumentException("not a SentencePiece model: wire type " + wire);
            }
        }
        if (pos[0] != proto.length || count == 0) {
            throw new IllegalArgumentException("not a SentencePiece model (" + count + " pieces)");
        }
        return count;
    }

    private static long varint(byte[] b, int[] pos) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) {
                throw new IllegalArgumentException("not a SentencePiece model: truncated varint");
            }
            int x = b[pos[0]++];
            value |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("not a SentencePiece model: varint too long");
    }
}
