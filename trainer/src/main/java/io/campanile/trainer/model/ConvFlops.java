package io.campanile.trainer.model;

/**
 * Counts the multiply-adds of a UNet's convolutions and transposed convolutions per image by walking
 * {@link UNetTopology} on shapes (batch norms, GELUs, the conditioning and the FCBlocks are not counted).
 */
final class ConvFlops implements UNetLayers<ConvFlops.Shape> {
    /** channels x size x size per image; size 0 for a vector. */
    record Shape(int channels, int size) {}

    private final UNetSpec spec;
    private long macs;

    private ConvFlops(UNetSpec spec) {
        this.spec = spec;
    }

    /** Multiply-adds per image of the convolutions of {@code spec}'s UNet. */
    static long multiplyAdds(UNetSpec spec) {
        ConvFlops f = new ConvFlops(spec);
        UNetTopology.build(spec, f);
        return f.macs;
    }

    @Override
    public Shape input(Input input) {
        return switch (input) {
            case IMAGE -> new Shape(1, UNetSpec.SIZE);
            case TIME -> new Shape(1, 0);
            case CLASS -> new Shape(spec.numClasses(), 0);
        };
    }

    @Override
    public Shape conv(String name, Shape x, int in, int out, int stride) {
        int size = (x.size() + 2 - 3) / stride + 1;
        macs += (long) size * size * 9 * in * out;
        return new Shape(out, size);
    }

    /** Each input pixel spreads over k x k output pixels. */
    @Override
    public Shape deconv(String name, Shape x, int in, int out, int k, int stride, int pad) {
        macs += (long) x.size() * x.size() * k * k * in * out;
        return new Shape(out, stride * (x.size() - 1) + k - 2 * pad);
    }

    @Override
    public Shape bnGelu(String name, Shape x, int channels) {
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
        return new Shape(out, 0);
    }

    @Override
    public Shape concat(Shape a, Shape b) {
        return new Shape(a.channels() + b.channels(), a.size());
    }

    @Override
    public Shape condition(String k, Shape h, Shape scale, Shape shift, int channels) {
        return h;
    }
}
