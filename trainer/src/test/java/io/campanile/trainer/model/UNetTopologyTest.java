package io.campanile.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.model.UNetLayers.Input;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The topology's wiring, walked on a back-end of shapes (no ND4J): channel counts and sizes fit layer to layer. */
class UNetTopologyTest {
    /** A value: channels x size x size, or a [B, width] vector (size 0). */
    record Shape(int channels, int size) {}

    /** Checks each layer's input against what the topology says it takes; records the layers with weights. */
    static final class Shapes implements UNetLayers<Shape> {
        final UNetSpec spec;
        final List<String> layers = new ArrayList<>();
        final List<Input> inputs = new ArrayList<>();

        Shapes(UNetSpec spec) {
            this.spec = spec;
        }

        @Override
        public Shape input(Input input) {
            inputs.add(input);
            return switch (input) {
                case IMAGE -> new Shape(1, UNetSpec.SIZE);
                case TIME -> new Shape(1, 0);
                case CLASS -> new Shape(spec.numClasses(), 0);
            };
        }

        @Override
        public Shape conv(String name, Shape x, int in, int out, int stride) {
            layers.add(name);
            assertEquals(in, x.channels(), name);
            assertTrue(x.size() > 0, name);
            return new Shape(out, (x.size() + 2 - 3) / stride + 1);
        }

        @Override
        public Shape deconv(String name, Shape x, int in, int out, int k, int stride, int pad) {
            layers.add(name);
            assertEquals(in, x.channels(), name);
            return new Shape(out, stride * (x.size() - 1) + k - 2 * pad);
        }

        @Override
        public Shape bnGelu(String name, Shape x, int channels) {
            layers.add(name);
            assertEquals(channels, x.channels(), name);
            return x;
        }

        @Override
        public Shape avgPool(Shape x) {
            return new Shape(x.channels(), 1);
        }

        @Override
        public Shape gelu(Shape x) {
            return x;
        }

        @Override
        public Shape linear(String name, Shape x, int in, int out) {
            layers.add(name);
            assertEquals(new Shape(in, 0), x, name);
            return new Shape(out, 0);
        }

        @Override
        public Shape concat(Shape a, Shape b) {
            assertEquals(a.size(), b.size());
            return new Shape(a.channels() + b.channels(), a.size());
        }

        @Override
        public Shape condition(String k, Shape h, Shape scale, Shape shift, int channels) {
            assertEquals(channels, h.channels(), "conditioning " + k);
            assertEquals(new Shape(channels, 0), shift, "fc_t" + k);
            if (scale != null) {
                assertEquals(new Shape(channels, 0), scale, "fc_c" + k);
            }
            return h;
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void everyLayerGetsTheChannelsAndSizeItIsBuiltFor(Architecture arch) {
        UNetSpec spec = UNetSpec.of(arch, 6);
        Shapes shapes = new Shapes(spec);
        assertEquals(new Shape(1, UNetSpec.SIZE), UNetTopology.build(spec, shapes));
        assertEquals(UNetTopology.inputs(arch), shapes.inputs);
        boolean time = arch.isDiffusion();
        boolean cls = arch == Architecture.CLASS_CONDITIONED;
        assertEquals(time, shapes.layers.contains("fc_t1_1") && shapes.layers.contains("fc_t2_2"));
        assertEquals(cls, shapes.layers.contains("fc_c1_1") && shapes.layers.contains("fc_c2_2"));
        // 17 convolutions and transposed convolutions with a batch norm each, the output convolution, 4 linear
        // layers per conditioning input
        assertEquals(17 * 2 + 1 + (time ? 4 : 0) + (cls ? 4 : 0), shapes.layers.size());
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void convolutionFlopsAreIfFactsFormula(Architecture arch) {
        for (int d : new int[] {1, 16, 64, 128, 1024}) {
            assertEquals(
                    2 * (65170.0 * d * d + 14112.0 * d), UNetSpec.of(arch, d).forwardFlopsPerImage(), "D " + d);
        }
    }

    @Test
    void theDenoiserHasOnlyTheImageInput() {
        Shapes shapes = new Shapes(UNetSpec.of(Architecture.DENOISER, 2));
        UNetTopology.build(shapes.spec, shapes);
        assertEquals(List.of(Input.IMAGE), shapes.inputs);
        assertNull(shapes.layers.stream()
                .filter(l -> l.startsWith("fc_"))
                .findFirst()
                .orElse(null));
    }
}
