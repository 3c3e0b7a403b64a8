package io.campanile.trainer.step;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_bf16;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;

import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;

/**
 * One layer shape of {@link Bf16Convs}: its descriptors, memories and forward primitives, made at once; its backward
 * primitives (data and weights) at their first use, so a forward-only call (sampling) makes none. Everything lives in
 * one {@link Dnnl.Scope}, closed with the layer.
 */
final class Bf16Layer {
    /** A layer's kind and sizes: its primitives are made once per shape. */
    record Shape(boolean deconv, int k, int stride, int pad, long n, long h, long w, long cin, long cout) {
        long outH() {
            return deconv ? stride * (h - 1) + k - 2L * pad : (h + 2L * pad - k) / stride + 1;
        }

        long outW() {
            return deconv ? stride * (w - 1) + k - 2L * pad : (w + 2L * pad - k) / stride + 1;
        }
    }

    final Shape s;
    final Dnnl.Scope scope;
    final dnnl_memory_desc_t xF;
    final dnnl_memory_desc_t xB;
    final dnnl_memory_desc_t yF;
    final dnnl_memory_desc_t wUserMd;
    final dnnl_memory_desc_t bMd = new dnnl_memory_desc_t();
    final dnnl_primitive_desc fpd;
    final dnnl_memory x;
    final dnnl_memory xb;
    final dnnl_memory y;
    final dnnl_memory bias;
    final dnnl_memory wUser;
    final Dnnl.Call toBf16x;
    final Dnnl.Call toFwdWeights;
    final Dnnl.Call forward;
    private Backward backward;

    Bf16Layer(Dnnl dnnl, Shape s) {
        this.s = s;
        this.scope = dnnl.scope();
        xF = Dnnl.nhwc(dnnl_f32, s.n, s.h, s.w, s.cin);
        xB = Dnnl.nhwc(dnnl_bf16, s.n, s.h, s.w, s.cin);
        yF = Dnnl.nhwc(dnnl_f32, s.n, s.outH(), s.outW(), s.cout);
        // conv [kH, kW, in, out]; transposed conv [kH, kW, out, in]
        long[] strides = s.deconv
                ? new long[] {s.cin, 1, s.k * s.cout * s.cin, s.cout * s.cin}
                : new long[] {1, s.cout, s.k * s.cin * s.cout, s.cin * s.cout};
        wUserMd = Dnnl.md(dnnl_f32, weightDims(), strides);
        Dnnl.check(dnnl_memory_desc_init_by_tag(bMd, 1, new long[] {s.cout}, dnnl_f32, dnnl_a), "bias");
        dnnl_convolution_desc_t f = new dnnl_convolution_desc_t();
        long[] st = {s.stride, s.stride};
        long[] p = {s.pad, s.pad};
        Dnnl.check(
                s.deconv
                        ? dnnl_deconvolution_forward_desc_init(
                                f, dnnl_forward_training, dnnl_deconvolution_direct, xB, wAny(), bMd, yF, st, p, p)
                        : dnnl_convolution_forward_desc_init(
                                f, dnnl_forward_training, dnnl_convolution_direct, xB, wAny(), bMd, yF, st, p, p),
                "forward descriptor");
        fpd = scope.describe(f, null, "forward");
        x = scope.memory(xF);
        xb = scope.memory(xB);
        y = scope.memory(yF);
        bias = scope.memory(bMd);
        wUser = scope.memory(wUserMd);
        dnnl_memory_desc_t wFwdMd = Dnnl.query(fpd, dnnl_query_weights_md);
        dnnl_memory wFwd = scope.owned(wFwdMd);
        toBf16x = scope.reorder(xF, x, xB, xb);
        toFwdWeights = scope.reorder(wUserMd, wUser, wFwdMd, wFwd);
        forward = scope.call(fpd, DNNL_ARG_SRC, xb, DNNL_ARG_WEIGHTS, wFwd, DNNL_ARG_BIAS, bias, DNNL_ARG_DST, y);
    }

    long[] weightDims() {
        return new long[] {s.cout, s.cin, s.k, s.k};
    }

    dnnl_memory_desc_t wAny() {
        return any(dnnl_bf16, weightDims());
    }

    Backward backward() {
        if (backward == null) {
            backward = new Backward(this);
        }
        return backward;
    }

    /** A layer shape's backward primitives: data (the input gradient) and weights. */
    final class Backward {
        final dnnl_memory g;
        final dnnl_memory gx;
        final dnnl_memory gw;
        final dnnl_memory gb;
        final Dnnl.Call toBf16g;
        final Dnnl.Call toBwdWeights;
        final Dnnl.Call fromDiffWeights;
        final Dnnl.Call data;
        final Dnnl.Call weights;

        Backward(Bf16Layer l) {
            Shape s = l.s;
            Dnnl.Scope scope = l.scope;
            dnnl_memory_desc_t yB = Dnnl.nhwc(dnnl_bf16, s.n, s.outH(), s.outW(), s.cout);
            long[] st = {s.stride, s.stride};
            long[] p = {s.pad, s.pad};
            dnnl_convolution_desc_t bd = new dnnl_convolution_desc_t();
            dnnl_convolution_desc_t bw = new dnnl_convolution_desc_t();
            dnnl_memory_desc_t gwAny = any(dnnl_f32, l.weightDims());
            if (s.deconv) {
                Dnnl.check(
                        dnnl_deconvolution_backward_data_desc_init(
                                bd, dnnl_deconvolution_direct, l.xF, l.wAny(), yB, st, p, p),
                        "backward data descriptor");
                Dnnl.check(
                        dnnl_deconvolution_backward_weights_desc_init(
                                bw, dnnl_deconvolution_direct, l.xB, gwAny, l.bMd, yB, st, p, p),
                        "backward weights descriptor");
            } else {
                Dnnl.check(
                        dnnl_convolution_backward_data_desc_init(
                                bd, dnnl_convolution_direct, l.xF, l.wAny(), yB, st, p, p),
                        "backward data descriptor");
                Dnnl.check(
                        dnnl_convolution_backward_weights_desc_init(
                                bw, dnnl_convolution_direct, l.xB, gwAny, l.bMd, yB, st, p, p),
                        "backward weights descriptor");
            }
            dnnl_primitive_desc bdpd = scope.describe(bd, l.fpd, "backward data");
            dnnl_primitive_desc bwpd = scope.describe(bw, l.fpd, "backward weights");
            g = scope.memory(l.yF);
            gx = scope.memory(l.xF);
            gb = scope.memory(l.bMd);
            dnnl_memory gB = scope.owned(yB);
            dnnl_memory_desc_t wBwdMd = Dnnl.query(bdpd, dnnl_query_weights_md);
            dnnl_memory wBwd = scope.owned(wBwdMd);
            dnnl_memory_desc_t gwMd = Dnnl.query(bwpd, dnnl_query_diff_weights_md);
            boolean direct = Dnnl.same(gwMd, l.wUserMd);
            gw = direct ? scope.memory(l.wUserMd) : scope.owned(gwMd);
            toBf16g = scope.reorder(l.yF, g, yB, gB);
            toBwdWeights = scope.reorder(l.wUserMd, l.wUser, wBwdMd, wBwd);
            fromDiffWeights = direct ? null : scope.reorder(gwMd, gw, l.wUserMd, l.wUser);
            data = scope.call(bdpd, DNNL_ARG_DIFF_DST, gB, DNNL_ARG_WEIGHTS, wBwd, DNNL_ARG_DIFF_SRC, gx);
            weights = scope.call(
                    bwpd, DNNL_ARG_SRC, l.xb, DNNL_ARG_DIFF_DST, gB, DNNL_ARG_DIFF_WEIGHTS, gw, DNNL_ARG_DIFF_BIAS, gb);
        }
    }

    /** A descriptor whose layout the primitive picks. */
    private static dnnl_memory_desc_t any(int dataType, long[] dims) {
        dnnl_memory_desc_t m = new dnnl_memory_desc_t();
        Dnnl.check(dnnl_memory_desc_init_by_tag(m, dims.length, dims, dataType, dnnl_format_tag_any), "descriptor");
        return m;
    }
}
