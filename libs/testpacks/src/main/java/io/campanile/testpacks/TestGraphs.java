package io.campanile.testpacks;

import static ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT;
import static ai.onnx.proto.OnnxMl.TensorProto.DataType.INT64;
import static io.campanile.testpacks.GraphBuilder.BATCH;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/** The test graphs: each computes the function of the same name in {@link TestFunctions}. */
final class TestGraphs {
    static final String SAMPLE = "sample";
    static final String SAMPLE_INDEX = "sample_index";
    static final String TIMESTEP = "timestep";
    static final String EHS = "encoder_hidden_states";
    static final String CLASS_LABELS = "class_labels";
    static final String CLASS_VECTOR = "class_vector";
    static final String OUT = "out_sample";

    private TestGraphs() {}

    /** {@link TestFunctions#stage1}: [batch, 3, size, size], [batch], [batch, 77, 4096] to [batch, 6, size, size]. */
    static ModelProto stage1(int size) {
        GraphBuilder g = new GraphBuilder();
        ONNXPlaceholder x = g.input(SAMPLE, FLOAT, BATCH, 3, size, size);
        ONNXPlaceholder t = g.input(TIMESTEP, INT64, BATCH);
        ONNXPlaceholder ehs = g.input(EHS, FLOAT, BATCH, TestFunctions.T5_TOKENS, TestFunctions.T5_WIDTH);
        ONNXPlaceholder out = g.output(OUT, FLOAT, BATCH, 6, size, size);
        ONNXNode level = tokenMean(g, ehs, 3);
        ONNXNode bias = g.add("bias", level, timeTerm(g, t));
        ONNXNode eps = g.add("eps_flat", g.scale("half_x", x, 0.5f), g.unsqueeze("bias_4d", bias, 2, 3));
        eps = g.add("eps", eps, patterned(g, level, size));
        g.output(g.op(Op.CONCAT, "eps_v", List.of(eps, halfTanh(g, x)), Map.of("axis", 1)), out);
        return g.build(
                "test_if_stage1", "eps = 0.5 x + e + 0.001 t + e P, e = mean_tokens(ehs)[:, :3]; v = 0.5 tanh(x)");
    }

    /** {@link TestFunctions#stage2}: [batch, 6, size, size] (x_t | u), timestep, ehs, class_labels. */
    static ModelProto stage2(int size) {
        GraphBuilder g = new GraphBuilder();
        ONNXPlaceholder sample = g.input(SAMPLE, FLOAT, BATCH, 6, size, size);
        ONNXPlaceholder t = g.input(TIMESTEP, INT64, BATCH);
        ONNXPlaceholder ehs = g.input(EHS, FLOAT, BATCH, TestFunctions.T5_TOKENS, TestFunctions.T5_WIDTH);
        ONNXPlaceholder labels = g.input(CLASS_LABELS, INT64, BATCH);
        ONNXPlaceholder out = g.output(OUT, FLOAT, BATCH, 6, size, size);
        ONNXNode xt = g.channels("x_t", sample, 0, 3);
        ONNXNode u = g.channels("upscaled", sample, 3, 6);
        ONNXNode noiseLevel = g.unsqueeze("noise_level", g.scale("label_term", g.toFloat("label_f", labels), 1e-4f), 1);
        ONNXNode level = tokenMean(g, ehs, 3);
        ONNXNode bias = g.add("bias", g.add("bias_et", level, timeTerm(g, t)), noiseLevel);
        ONNXNode mix = g.add("mix", g.scale("half_xt", xt, 0.5f), g.scale("quarter_u", u, 0.25f));
        ONNXNode eps = g.add("eps_flat", mix, g.unsqueeze("bias_4d", bias, 2, 3));
        eps = g.add("eps", eps, patterned(g, level, size));
        g.output(g.op(Op.CONCAT, "eps_v", List.of(eps, halfTanh(g, xt)), Map.of("axis", 1)), out);
        return g.build(
                "test_if_stage2",
                "eps = 0.5 x_t + 0.25 u + e + 0.001 t + 0.0001 class_labels + e P, e = mean_tokens(ehs)[:, :3];"
                        + " v = 0.5 tanh(x_t)");
    }

    /** e [B, 3] times the pattern P [1, 1, S, S] ({@link TestFunctions#pattern}): [B, 3, S, S]. */
    private static ONNXNode patterned(GraphBuilder g, ONNXNode level, int size) {
        ONNXRef<?> pattern = g.floats("pattern", new int[] {1, 1, size, size}, TestFunctions.pattern(size));
        return g.mul("level_pattern", g.unsqueeze("level_4d", level, 2, 3), pattern);
    }

    /**
     * {@link TestFunctions#mnistClass}, shaped as the trainer exports class-conditioned packs, with a shared encoder:
     * sample [samples, 1, 28, 28] (the distinct samples), sample_index [batch] (each row's sample), timestep,
     * class_vector [batch, 10].
     */
    static ModelProto mnistClass() {
        int k = 10;
        GraphBuilder g = new GraphBuilder();
        ONNXPlaceholder samples = g.input(SAMPLE, FLOAT, "samples", 1, 28, 28);
        ONNXPlaceholder index = g.input(SAMPLE_INDEX, INT64, BATCH);
        ONNXNode x = g.op(Op.GATHER, "per_row", List.of(samples, index), Map.of("axis", 0));
        ONNXPlaceholder t = g.input(TIMESTEP, INT64, BATCH);
        ONNXPlaceholder cv = g.input(CLASS_VECTOR, FLOAT, BATCH, k);
        ONNXPlaceholder out = g.output(OUT, FLOAT, BATCH, 1, 28, 28);
        float[] w = new float[k];
        for (int j = 0; j < k; j++) {
            w[j] = TestFunctions.classWeight(j);
        }
        ONNXNode classTerm = g.op(Op.MATMUL, "class_term", List.of(cv, g.floats("class_weights", new int[] {k, 1}, w)));
        ONNXNode bias = g.add("bias", classTerm, timeTerm(g, t));
        g.output(g.add("eps", g.scale("half_x", x, 0.5f), g.unsqueeze("bias_4d", bias, 2, 3)), out);
        return g.build("test_mnist_class", "eps = 0.5 x + sum_k 0.1 (k + 1) class_vector[k] + 0.001 t");
    }

    /** {@link TestFunctions#unconditional}: [batch, 3, 32, 32], timestep. */
    static ModelProto unconditional() {
        GraphBuilder g = new GraphBuilder();
        ONNXPlaceholder x = g.input(SAMPLE, FLOAT, BATCH, 3, 32, 32);
        ONNXPlaceholder t = g.input(TIMESTEP, INT64, BATCH);
        ONNXPlaceholder out = g.output(OUT, FLOAT, BATCH, 3, 32, 32);
        g.output(g.add("eps", g.scale("half_x", x, 0.5f), g.unsqueeze("bias_4d", timeTerm(g, t), 2, 3)), out);
        return g.build("test_unconditional", "eps = 0.5 x + 0.001 t");
    }

    /** {@link TestFunctions#t5}: input_ids, attention_mask [batch, 77] to last_hidden_state [batch, 77, 4096]. */
    static ModelProto t5Encoder() {
        int tokens = TestFunctions.T5_TOKENS;
        int inner = TestFunctions.T5_INNER;
        int width = TestFunctions.T5_WIDTH;
        GraphBuilder g = new GraphBuilder();
        ONNXPlaceholder ids = g.input("input_ids", INT64, BATCH, tokens);
        ONNXPlaceholder mask = g.input("attention_mask", INT64, BATCH, tokens);
        ONNXPlaceholder out = g.output("last_hidden_state", FLOAT, BATCH, tokens, width);
        float[] e = new float[TestFunctions.T5_VOCAB * inner];
        for (int i = 0; i < TestFunctions.T5_VOCAB; i++) {
            for (int j = 0; j < inner; j++) {
                e[i * inner + j] = TestFunctions.t5Embedding(i, j);
            }
        }
        float[] w = new float[inner * width];
        for (int j = 0; j < inner; j++) {
            for (int k = 0; k < width; k++) {
                w[j * width + k] = TestFunctions.t5Projection(j, k);
            }
        }
        ONNXNode rows = g.op(
                Op.GATHER,
                "embedded",
                List.of(g.floats("embedding", new int[] {TestFunctions.T5_VOCAB, inner}, e), ids),
                Map.of("axis", 0));
        ONNXNode hidden =
                g.op(Op.MATMUL, "projected", List.of(rows, g.floats("projection", new int[] {inner, width}, w)));
        ONNXNode tanh = g.op(Op.TANH, "tanh", List.of(hidden));
        ONNXNode maskF = g.unsqueeze("mask_3d", g.toFloat("mask_f", mask), 2);
        g.output(g.mul("masked", tanh, maskF), out);
        return g.build("test_t5_encoder", "last_hidden_state = tanh(E[input_ids] W) * attention_mask");
    }

    /** 0.001 t as float [batch, 1]. */
    static ONNXNode timeTerm(GraphBuilder g, ONNXRef<?> t) {
        return g.unsqueeze("t_term", g.scale("t_scaled", g.toFloat("t_f", t), 0.001f), 1);
    }

    /**
     * e [batch, channels]: the first {@code channels} columns of the hidden states, averaged over the tokens. The
     * column pick is a MatMul with a [4096, channels] selection matrix, so the graph carries an initializer large
     * enough to be stored as external data.
     */
    static ONNXNode tokenMean(GraphBuilder g, ONNXRef<?> ehs, int channels) {
        int width = TestFunctions.T5_WIDTH;
        float[] pick = new float[width * channels];
        for (int c = 0; c < channels; c++) {
            pick[c * channels + c] = 1f;
        }
        ONNXNode picked =
                g.op(Op.MATMUL, "ehs_cols", List.of(ehs, g.floats("ehs_pick", new int[] {width, channels}, pick)));
        return g.op(Op.REDUCE_MEAN, "token_mean", List.of(picked), Map.of("axes", new int[] {1}, "keepdims", 0));
    }

    private static ONNXNode halfTanh(GraphBuilder g, ONNXRef<?> x) {
        return g.scale("v", g.op(Op.TANH, "tanh_x", List.of(x)), 0.5f);
    }
}
