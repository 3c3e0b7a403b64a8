package io.campanile.trainer.model;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.model.UNetLayers.Input;
import java.util.List;

/**
 * The course UNet (CS180 project 5 part B), written once: its blocks and their wiring for the three architectures,
 * on layers a back-end implements ({@link UNetLayers}). The training step, the SameDiff graph and the ONNX export each
 * walk it with their own layers, so a block added here is in all three (the tests compare them).
 *
 * <pre>
 * e1 = ConvBlock(x, 1 -&gt; D)           u0 = Unflatten(Flatten(e3)), conditioned (1)
 * e2 = DownBlock(e1, D -&gt; D)          u1 = UpBlock([e3, u0], 4D -&gt; D), conditioned (2)
 * e3 = DownBlock(e2, D -&gt; 2D)         u2 = UpBlock([e2, u1], 2D -&gt; D)
 *                                     out = Conv(ConvBlock([e1, u2], 2D -&gt; D), D -&gt; 1)
 * </pre>
 * Conditioning k: {@code h = c_k * h + t_k} (class-conditioned), {@code h + t_k} (time-conditioned), {@code h}
 * (denoiser), with FCBlocks {@code t_k = fc_t<k>(t)} and {@code c_k = fc_c<k>(c)}. The encoder (e1, e2, e3 and u0
 * before its conditioning) sees neither, so classifier-free guidance's two rows of a sample can share it
 * ({@link UNetLayers#perRow}).
 */
public final class UNetTopology {
    /** PyTorch BatchNorm2d's default momentum and epsilon, which the course's batch norms use. */
    public static final double BN_MOMENTUM = 0.1;

    public static final double BN_EPS = 1e-5;

    private UNetTopology() {}

    /** The inputs of an architecture, in the order they are fed (image, then t / T, then the class vector). */
    public static List<Input> inputs(Architecture architecture) {
        return switch (architecture) {
            case DENOISER -> List.of(Input.IMAGE);
            case TIME_CONDITIONED -> List.of(Input.IMAGE, Input.TIME);
            case CLASS_CONDITIONED -> List.of(Input.IMAGE, Input.TIME, Input.CLASS);
        };
    }

    /** Walks the UNet of {@code spec} on {@code l}; returns its output [B, 1, 28, 28]. */
    public static <V> V build(UNetSpec spec, UNetLayers<V> l) {
        int d = spec.hiddenDim();
        List<Input> inputs = inputs(spec.architecture());
        V x = l.input(Input.IMAGE);
        V t = inputs.contains(Input.TIME) ? l.input(Input.TIME) : null;
        V c = inputs.contains(Input.CLASS) ? l.input(Input.CLASS) : null;
        V e1 = convBlock(l, "e1", x, 1, d);
        V e2 = downBlock(l, "e2", e1, d, d);
        V e3 = downBlock(l, "e3", e2, d, 2 * d);
        V u0 = unflatten(l, "u0", flatten(l, e3), 2 * d);
        // The encoder ends here: what follows sees t and c, so it runs once per row (UNetLayers.perRow).
        e1 = l.perRow(e1);
        e2 = l.perRow(e2);
        e3 = l.perRow(e3);
        u0 = condition(l, spec, "1", l.perRow(u0), t, c, 2 * d);
        V u1 = upBlock(l, "u1", l.concat(e3, u0), 4 * d, d);
        u1 = condition(l, spec, "2", u1, t, c, d);
        V u2 = upBlock(l, "u2", l.concat(e2, u1), 2 * d, d);
        V u3 = convBlock(l, "u3", l.concat(e1, u2), 2 * d, d);
        return l.conv("out", u3, d, 1, 1);
    }

    /** Conv, BN, GELU twice; layers {@code <name>_a}, {@code <name>_b}. */
    static <V> V convBlock(UNetLayers<V> l, String name, V x, int in, int out) {
        V h = l.bnGelu(name + "_a", l.conv(name + "_a", x, in, out, 1), out);
        return l.bnGelu(name + "_b", l.conv(name + "_b", h, out, out, 1), out);
    }

    /** Conv with stride 2, BN, GELU ({@code <name>_down}), then a ConvBlock. */
    static <V> V downBlock(UNetLayers<V> l, String name, V x, int in, int out) {
        V h = l.bnGelu(name + "_down", l.conv(name + "_down", x, in, out, 2), out);
        return convBlock(l, name, h, out, out);
    }

    /** ConvTranspose k4 s2 p1, BN, GELU ({@code <name>_up}), then a ConvBlock. */
    static <V> V upBlock(UNetLayers<V> l, String name, V x, int in, int out) {
        V h = l.bnGelu(name + "_up", l.deconv(name + "_up", x, in, out, 4, 2, 1), out);
        return convBlock(l, name, h, out, out);
    }

    /** AvgPool over the 7 x 7 pixels, GELU. */
    static <V> V flatten(UNetLayers<V> l, V x) {
        return l.gelu(l.avgPool(x));
    }

    /** ConvTranspose k7 s7 from 1 x 1 back to 7 x 7, BN, GELU. */
    static <V> V unflatten(UNetLayers<V> l, String name, V x, int channels) {
        return l.bnGelu(name, l.deconv(name, x, channels, channels, 7, 7, 0), channels);
    }

    /** Linear, GELU, Linear; layers {@code <name>_1}, {@code <name>_2}. */
    static <V> V fcBlock(UNetLayers<V> l, String name, V x, int in, int out) {
        return l.linear(name + "_2", l.gelu(l.linear(name + "_1", x, in, out)), out, out);
    }

    /** Conditioning point k (see the class comment); t null: none. */
    static <V> V condition(UNetLayers<V> l, UNetSpec spec, String k, V h, V t, V c, int channels) {
        if (t == null) {
            return h;
        }
        V tk = fcBlock(l, "fc_t" + k, t, 1, channels);
        V ck = c == null ? null : fcBlock(l, "fc_c" + k, c, spec.numClasses(), channels);
        return l.condition(k, h, ck, tk, channels);
    }
}
