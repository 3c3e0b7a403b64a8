package io.campanile.trainer.step;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx512_core_bf16;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_get_effective_cpu_isa;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_strides;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * oneDNN's C API through JavaCPP's {@code dnnl} preset (the same library ND4J's native build links in, but its own
 * copy, whose symbols ND4J does not export): a CPU engine and stream, and {@link Scope}s of primitives, memories and
 * buffers, each destroyed with its scope. Memory descriptors go by strides, so ND4J's arrays are used in place. Not
 * thread-safe.
 */
final class Dnnl implements AutoCloseable {
    private final dnnl_engine engine = new dnnl_engine();
    private final dnnl_stream stream = new dnnl_stream();

    Dnnl() {
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine");
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");
    }

    /** Whether this CPU has bfloat16 dot products (AVX512_BF16 or AMX), which oneDNN's bfloat16 kernels need. */
    static boolean hasBf16() {
        return dnnl_get_effective_cpu_isa() >= dnnl_cpu_isa_avx512_core_bf16;
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed with status " + status);
        }
    }

    /** A descriptor of logical dims with these element strides. */
    static dnnl_memory_desc_t md(int dataType, long[] dims, long[] strides) {
        dnnl_memory_desc_t m = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_strides(m, dims.length, dims, dataType, strides), "memory descriptor");
        return m;
    }

    /** Activations [n, h, w, c] in memory, as oneDNN's logical {n, c, h, w}. */
    static dnnl_memory_desc_t nhwc(int dataType, long n, long h, long w, long c) {
        return md(dataType, new long[] {n, c, h, w}, new long[] {h * w * c, 1, w * c, c});
    }

    static boolean same(dnnl_memory_desc_t a, dnnl_memory_desc_t b) {
        return dnnl_memory_desc_equal(a, b) == 1;
    }

    static dnnl_memory_desc_t query(dnnl_primitive_desc pd, int what) {
        return dnnl_primitive_desc_query_md(pd, what, 0);
    }

    /** Points m at a whole c-order array's buffer. */
    static void bind(dnnl_memory m, INDArray a) {
        check(dnnl_memory_set_data_handle(m, a.data().addressPointer()), "memory buffer");
    }

    /** A new scope on this engine. */
    Scope scope() {
        return new Scope();
    }

    /** Primitives, memories and buffers that are destroyed together. */
    final class Scope implements AutoCloseable {
        private final List<dnnl_primitive_desc> descs = new ArrayList<>();
        private final List<dnnl_primitive> primitives = new ArrayList<>();
        private final List<dnnl_memory> memories = new ArrayList<>();
        private final List<Pointer> buffers = new ArrayList<>();
        private long ownedBytes;

        /** A primitive descriptor of an operation (hint: the forward's, for a backward). */
        dnnl_primitive_desc describe(dnnl_convolution_desc_t op, dnnl_primitive_desc hint, String what) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(op), null, engine, hint), what);
            descs.add(pd);
            return pd;
        }

        /** A memory object of md whose buffer the caller sets before each use ({@link #bind}). */
        dnnl_memory memory(dnnl_memory_desc_t md) {
            dnnl_memory m = new dnnl_memory();
            check(dnnl_memory_create(m, md, engine, null), "memory");
            memories.add(m);
            return m;
        }

        /** A memory object of md with a buffer of its own, zeroed. */
        dnnl_memory owned(dnnl_memory_desc_t md) {
            long size = dnnl_memory_desc_get_size(md);
            BytePointer buffer = new BytePointer(size);
            buffer.fill(0);
            buffers.add(buffer);
            ownedBytes += size;
            dnnl_memory m = memory(md);
            check(dnnl_memory_set_data_handle(m, buffer), "memory buffer");
            return m;
        }

        /** Bytes of the buffers of {@link #owned} memories. */
        long ownedBytes() {
            return ownedBytes;
        }

        /** A primitive of pd with its arguments: pairs of (DNNL_ARG_*, memory). */
        Call call(dnnl_primitive_desc pd, Object... args) {
            dnnl_primitive p = new dnnl_primitive();
            check(dnnl_primitive_create(p, pd), "primitive");
            primitives.add(p);
            dnnl_exec_arg_t a = new dnnl_exec_arg_t(args.length / 2);
            buffers.add(a);
            for (int i = 0; i < args.length / 2; i++) {
                a.position(i).arg((Integer) args[2 * i]).memory((dnnl_memory) args[2 * i + 1]);
            }
            a.position(0);
            return new Call(p, a, args.length / 2);
        }

        /** A reorder (layout and data type conversion) from one memory to another. */
        Call reorder(dnnl_memory_desc_t fromMd, dnnl_memory from, dnnl_memory_desc_t toMd, dnnl_memory to) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(dnnl_reorder_primitive_desc_create(pd, fromMd, engine, toMd, engine, null), "reorder");
            descs.add(pd);
            return call(pd, DNNL_ARG_FROM, from, DNNL_ARG_TO, to);
        }

        @Override
        public void close() {
            primitives.forEach(p -> dnnl_primitive_destroy(p));
            descs.forEach(d -> dnnl_primitive_desc_destroy(d));
            memories.forEach(m -> dnnl_memory_destroy(m));
            buffers.forEach(Pointer::close);
            primitives.clear();
            descs.clear();
            memories.clear();
            buffers.clear();
            ownedBytes = 0;
        }
    }

    /** A primitive bound to its arguments. */
    final class Call {
        private final dnnl_primitive primitive;
        private final dnnl_exec_arg_t args;
        private final int count;

        private Call(dnnl_primitive primitive, dnnl_exec_arg_t args, int count) {
            this.primitive = primitive;
            this.args = args;
            this.count = count;
        }

        /** Runs the primitive to its end. */
        void run() {
            check(dnnl_primitive_execute(primitive, stream, count, args), "execute");
            check(dnnl_stream_wait(stream), "stream wait");
        }
    }

    @Override
    public void close() {
        dnnl_stream_destroy(stream);
        dnnl_engine_destroy(engine);
    }
}
