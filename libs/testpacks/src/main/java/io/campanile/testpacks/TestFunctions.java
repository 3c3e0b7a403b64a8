package io.campanile.testpacks;

import io.campanile.diffusion.tensor.Tensor;

/**
 * Reference implementations, in plain Java, of the functions the test packs' graphs compute, so a test can compute
 * the expected output of a pack without ONNX Runtime. Notation: x = sample, t = timestep (as float), B = batch,
 * e[b][c] = mean over the tokens of {@code encoder_hidden_states[b, :, c]}.
 *
 * <ul>
 *   <li>{@code test-if-stage1}: out[:, c] = 0.5 x[c] + e[b][c] + 0.001 t + e[b][c] P(y, x) for c &lt; C (epsilon);
 *       out[:, C + c] = 0.5 tanh(x[c]) (variance v). P is the fixed {@link #pattern}: the prompt's term varies
 *       over the image, so a view that moves pixels (anagrams) and a low-pass (hybrids) change the estimate.
 *   <li>{@code test-if-stage2}: sample = [x_t (3) | u (3)]; eps = 0.5 x_t + 0.25 u + e + 0.001 t + 0.0001 class_label
 *       + e P(y, x); v = 0.5 tanh(x_t).
 *   <li>{@code test-mnist-class}: eps = 0.5 x + sum_k 0.1 (k + 1) class_vector[b][k] + 0.001 t.
 *   <li>{@code test-unconditional}: eps = 0.5 x + 0.001 t.
 *   <li>{@code test-t5-encoder}: last_hidden_state[b, i, :] = tanh(E[ids[b][i]] W) mask[b][i], with
 *       {@link #t5Embedding(int, int) E} [32128, 8] and {@link #t5Projection(int, int) W} [8, 4096].
 * </ul>
 */
public final class TestFunctions {
    /** Rows of the test T5 embedding table E (the T5 v1.1 vocabulary size). */
    public static final int T5_VOCAB = 32128;
    /** Columns of E, rows of W. */
    public static final int T5_INNER = 8;
    /** Width of the test T5 hidden states (T5 XXL's). */
    public static final int T5_WIDTH = 4096;
    /** Tokens of a T5 prompt as IF uses it. */
    public static final int T5_TOKENS = 77;

    private TestFunctions() {}

    /** E[i][j] = sin(0.001 (i + 1) (j + 1)), computed in double and stored as float. */
    public static float t5Embedding(int i, int j) {
        return (float) Math.sin(0.001 * (i + 1) * (j + 1));
    }

    /** W[j][k] = cos(0.01 (j + 1) (k + 1)) / 2, computed in double and stored as float. */
    public static float t5Projection(int j, int k) {
        return (float) (Math.cos(0.01 * (j + 1) * (k + 1)) / 2);
    }

    /**
     * Stage I: sample [B, C, S, S], ehs [B, tokens, width >= C] to [B, 2C, S, S].
     *
     * @param t the timesteps, one per sample
     */
    public static Tensor stage1(Tensor sample, long[] t, Tensor ehs) {
        int b = sample.dim(0);
        int c = sample.dim(1);
        requireBatch("timestep", t.length, b);
        float[] e = tokenMeans(ehs, b, c);
        int plane = sample.dim(2) * sample.dim(3);
        float[] pattern = pattern(sample.dim(2));
        Tensor out = Tensor.zeros(b, 2 * c, sample.dim(2), sample.dim(3));
        float[] x = sample.data();
        float[] o = out.data();
        for (int n = 0; n < b; n++) {
            for (int ch = 0; ch < c; ch++) {
                float level = e[n * c + ch];
                float bias = level + 0.001f * t[n];
                int in = (n * c + ch) * plane;
                int eps = (n * 2 * c + ch) * plane;
                int v = (n * 2 * c + c + ch) * plane;
                for (int p = 0; p < plane; p++) {
                    o[eps + p] = 0.5f * x[in + p] + bias + level * pattern[p];
                    o[v + p] = 0.5f * (float) Math.tanh(x[in + p]);
                }
            }
        }
        return out;
    }

    /** Stage II: sample6 [B, 6, S, S] = [x_t | u], ehs [B, tokens, width >= 3], class labels [B] to [B, 6, S, S]. */
    public static Tensor stage2(Tensor sample6, long[] t, Tensor ehs, long[] classLabels) {
        int b = sample6.dim(0);
        int c = sample6.dim(1) / 2;
        requireBatch("timestep", t.length, b);
        requireBatch("class_labels", classLabels.length, b);
        float[] e = tokenMeans(ehs, b, c);
        int plane = sample6.dim(2) * sample6.dim(3);
        float[] pattern = pattern(sample6.dim(2));
        Tensor out = Tensor.zeros(sample6.shape());
        float[] x = sample6.data();
        float[] o = out.data();
        for (int n = 0; n < b; n++) {
            for (int ch = 0; ch < c; ch++) {
                float level = e[n * c + ch];
                float bias = level + 0.001f * t[n] + 0.0001f * classLabels[n];
                int xt = (n * 2 * c + ch) * plane;
                int u = (n * 2 * c + c + ch) * plane;
                for (int p = 0; p < plane; p++) {
                    o[xt + p] = 0.5f * x[xt + p] + 0.25f * x[u + p] + bias + level * pattern[p];
                    o[u + p] = 0.5f * (float) Math.tanh(x[xt + p]);
                }
            }
        }
        return out;
    }

    /** Class conditioning: sample [B, C, S, S], class vector [B, K] to [B, C, S, S]. */
    public static Tensor mnistClass(Tensor sample, long[] t, Tensor classVector) {
        int b = sample.dim(0);
        int k = classVector.dim(1);
        requireBatch("class_vector", classVector.dim(0), b);
        float[] bias = new float[b];
        for (int n = 0; n < b; n++) {
            float s = 0;
            for (int j = 0; j < k; j++) {
                s += classWeight(j) * classVector.data()[n * k + j];
            }
            bias[n] = s;
        }
        return halfPlusBias(sample, t, bias);
    }

    /** No conditioning: sample [B, C, S, S] to [B, C, S, S]. */
    public static Tensor unconditional(Tensor sample, long[] t) {
        return halfPlusBias(sample, t, new float[sample.dim(0)]);
    }

    /** The test T5 encoder: ids and mask [B][tokens] to [B, tokens, 4096]. */
    public static Tensor t5(long[][] ids, long[][] mask) {
        int b = ids.length;
        requireBatch("attention_mask", mask.length, b);
        int tokens = ids[0].length;
        float[][] w = new float[T5_INNER][T5_WIDTH];
        for (int j = 0; j < T5_INNER; j++) {
            for (int k = 0; k < T5_WIDTH; k++) {
                w[j][k] = t5Projection(j, k);
            }
        }
        Tensor out = Tensor.zeros(b, tokens, T5_WIDTH);
        float[] o = out.data();
        float[] row = new float[T5_INNER];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < tokens; i++) {
                int id = Math.toIntExact(ids[n][i]);
                for (int j = 0; j < T5_INNER; j++) {
                    row[j] = t5Embedding(id, j);
                }
                int base = (n * tokens + i) * T5_WIDTH;
                for (int k = 0; k < T5_WIDTH; k++) {
                    double dot = 0;
                    for (int j = 0; j < T5_INNER; j++) {
                        dot += (double) row[j] * w[j][k];
                    }
                    o[base + k] = (float) Math.tanh(dot) * mask[n][i];
                }
            }
        }
        return out;
    }

    /**
     * The spatial pattern of the IF test packs at pixel (y, x) of a size x size image: sin(0.3 y + 0.1) cos(0.21 x +
     * 0.2) + (y + 2 x) / size, computed in double and stored as float. It has no symmetry a view could hide, and
     * frequencies a Gaussian low-pass damps.
     */
    public static float pattern(int y, int x, int size) {
        return (float) (Math.sin(0.3 * y + 0.1) * Math.cos(0.21 * x + 0.2) + (y + 2.0 * x) / size);
    }

    /** {@link #pattern} of a size x size image, row-major: [size * size]. */
    public static float[] pattern(int size) {
        float[] p = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                p[y * size + x] = pattern(y, x, size);
            }
        }
        return p;
    }

    /** The weight of class k in {@link #mnistClass}: 0.1 (k + 1). */
    static float classWeight(int k) {
        return 0.1f * (k + 1);
    }

    /** e[b][c] = mean over tokens of ehs[b, :, c], for c &lt; channels; [B * channels]. */
    private static float[] tokenMeans(Tensor ehs, int batch, int channels) {
        requireBatch("encoder_hidden_states", ehs.dim(0), batch);
        int tokens = ehs.dim(1);
        int width = ehs.dim(2);
        float[] e = new float[batch * channels];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                double s = 0;
                for (int i = 0; i < tokens; i++) {
                    s += ehs.data()[(n * tokens + i) * width + c];
                }
                e[n * channels + c] = (float) (s / tokens);
            }
        }
        return e;
    }

    /** out = 0.5 x + bias[b] + 0.001 t[b]. */
    private static Tensor halfPlusBias(Tensor sample, long[] t, float[] bias) {
        int b = sample.dim(0);
        requireBatch("timestep", t.length, b);
        int per = sample.size() / b;
        Tensor out = Tensor.zeros(sample.shape());
        for (int n = 0; n < b; n++) {
            float add = bias[n] + 0.001f * t[n];
            for (int p = n * per; p < (n + 1) * per; p++) {
                out.data()[p] = 0.5f * sample.data()[p] + add;
            }
        }
        return out;
    }

    private static void requireBatch(String name, int got, int batch) {
        if (got != batch) {
            throw new IllegalArgumentException(name + ": batch " + got + ", the sample's batch is " + batch);
        }
    }
}
