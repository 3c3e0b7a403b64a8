package io.campanile.trainer.inference;

import io.campanile.trainer.model.Architecture;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.ListenerVariables;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * A trainable course UNet: the SameDiff training graph with Adam, batch-norm running statistics kept as PyTorch does
 * (momentum 0.1, unbiased variance), and an inference graph (running statistics) that shares its weights.
 * Not thread-safe.
 */
public final class UNetModel implements AutoCloseable {
    /** PyTorch BatchNorm2d's default momentum. */
    static final double BN_MOMENTUM = 0.1;

    private final UNetSpec spec;
    private final SameDiff train;
    private final List<String> batchNorms;
    private final BatchNormListener listener;
    private SameDiff infer;
    private boolean inferStale = true;
    private double lastLoss = Double.NaN;

    private UNetModel(UNetSpec spec, SameDiff train, List<String> batchNorms) {
        this.spec = spec;
        this.train = train;
        this.batchNorms = batchNorms;
        this.listener = new BatchNormListener();
    }

    /**
     * A fresh model.
     *
     * @param lr Adam learning rate at epoch 0
     * @param gammaPerEpoch learning-rate factor per epoch (1 for constant; ExponentialLR)
     */
    public static UNetModel create(UNetSpec spec, long seed, double lr, double gammaPerEpoch) {
        UNetGraph g = UNetGraph.build(spec, true, seed);
        SameDiff sd = g.sameDiff();
        sd.setTrainingConfig(trainingConfig(spec, lr, gammaPerEpoch));
        return new UNetModel(spec, sd, g.batchNorms());
    }

    /** Loads a checkpoint written by {@link #save}, with its Adam state and epoch count. */
    public static UNetModel load(UNetSpec spec, Path file) {
        SameDiff sd;
        try {
            sd = SameDiff.load(file.toFile(), true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint " + file + " cannot be read: " + e.getMessage(), e);
        }
        List<String> bns = UNetGraph.build(spec, false, 0).batchNorms();
        return new UNetModel(spec, sd, bns);
    }

    private static TrainingConfig trainingConfig(UNetSpec spec, double lr, double gamma) {
        List<String> features = spec.architecture() == Architecture.CLASS_CONDITIONED
                ? List.of(UNetGraph.X, UNetGraph.T, UNetGraph.C)
                : spec.architecture() == Architecture.TIME_CONDITIONED ? List.of(UNetGraph.X, UNetGraph.T)
                : List.of(UNetGraph.X);
        return TrainingConfig.builder()
                .updater(new Adam(new ExponentialSchedule(ScheduleType.EPOCH, lr, gamma)))
                .dataSetFeatureMapping(features.toArray(String[]::new))
                .dataSetLabelMapping(UNetGraph.TARGET)
                .build();
    }

    public UNetSpec spec() {
        return spec;
    }

    /** Sets the epoch the learning-rate schedule is at (0-based). */
    public void setEpoch(int epoch) {
        train.getTrainingConfig().setEpochCount(epoch);
    }

    /** One Adam step on a batch; returns its loss. */
    public double fit(Batch b) {
        int epoch = train.getTrainingConfig().getEpochCount();
        lastLoss = Double.NaN;
        MultiDataSet mds = toMultiDataSet(b);
        train.fit(mds, listener);
        release(mds);
        train.getTrainingConfig().setEpochCount(epoch); // fit(MultiDataSet) counts each call as an epoch
        inferStale = true;
        return lastLoss;
    }

    /** Milliseconds per op type of one training step on {@code b}, most expensive first (for the benchmark). */
    public java.util.List<String> profileStep(Batch b) {
        Map<String, long[]> byOp = new HashMap<>();
        BaseListener timer = new BaseListener() {
            private long start;

            @Override
            public boolean isActive(Operation operation) {
                return true;
            }

            @Override
            public void preOpExecution(SameDiff sd, At at, SameDiffOp op, org.nd4j.linalg.api.ops.OpContext ctx) {
                start = System.nanoTime();
            }

            @Override
            public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op,
                    org.nd4j.linalg.api.ops.OpContext ctx, INDArray[] outputs) {
                long[] acc = byOp.computeIfAbsent(op.getOp().opName(), k -> new long[2]);
                acc[0] += System.nanoTime() - start;
                acc[1]++;
            }
        };
        int epoch = train.getTrainingConfig().getEpochCount();
        train.fit(toMultiDataSet(b), listener, timer);
        train.getTrainingConfig().setEpochCount(epoch);
        inferStale = true;
        return byOp.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
                .map(e -> String.format(java.util.Locale.ROOT, "%-28s %8.1f ms %5d calls", e.getKey(),
                        e.getValue()[0] / 1e6, e.getValue()[1]))
                .toList();
    }

    /** Runs the inference graph (running batch-norm statistics) on n images; returns [n, 1, 28, 28] flattened. */
    public float[] predict(float[] x, float[] t, float[] c, int n) {
        syncInference();
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(UNetGraph.X, Nd4j.create(x, new long[] {n, 1, UNetSpec.SIZE, UNetSpec.SIZE}, 'c'));
        if (spec.architecture().isDiffusion()) {
            ph.put(UNetGraph.T, Nd4j.create(t, new long[] {n, 1}, 'c'));
        }
        if (spec.architecture() == Architecture.CLASS_CONDITIONED) {
            ph.put(UNetGraph.C, Nd4j.create(c, new long[] {n, spec.numClasses()}, 'c'));
        }
        INDArray out = infer.output(ph, UNetGraph.OUT).get(UNetGraph.OUT);
        float[] result = out.dup('c').data().asFloat();
        ph.values().forEach(UNetModel::close);
        close(out);
        return result;
    }

    /** Every weight and running statistic by name (copies), for export. */
    public Map<String, INDArray> weights() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (SDVariable v : train.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE || v.getVariableType() == VariableType.CONSTANT) {
                INDArray arr = v.getArr();
                if (arr != null) {
                    out.put(v.name(), arr.dup());
                }
            }
        }
        return out;
    }

    /** Writes the model, its Adam state and epoch count atomically. */
    public void save(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        train.save(tmp.toFile(), true);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The checkpoint file's bytes (see {@link #save}). */
    public byte[] checkpointBytes() throws IOException {
        Path tmp = Files.createTempFile("unet", ".sd");
        try {
            train.save(tmp.toFile(), true);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A model from {@link #checkpointBytes}. */
    public static UNetModel fromCheckpoint(UNetSpec spec, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile("unet", ".sd");
        try {
            Files.write(tmp, bytes);
            return load(spec, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void syncInference() {
        if (infer == null) {
            infer = UNetGraph.build(spec, false, 0).sameDiff();
        }
        if (!inferStale) {
            return;
        }
        for (SDVariable v : infer.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE || v.getVariableType() == VariableType.CONSTANT) {
                v.getArr().assign(train.getArrForVarName(v.name()));
            }
        }
        inferStale = false;
    }

    /** Frees a batch's native buffers now rather than at some later garbage collection. */
    private static void release(MultiDataSet mds) {
        for (INDArray a : mds.getFeatures()) {
            close(a);
        }
        for (INDArray a : mds.getLabels()) {
            close(a);
        }
    }

    private static void close(INDArray a) {
        if (a != null && a.closeable()) {
            a.close();
        }
    }

    private MultiDataSet toMultiDataSet(Batch b) {
        long[] img = {b.n(), 1, UNetSpec.SIZE, UNetSpec.SIZE};
        INDArray x = Nd4j.create(b.x(), img, 'c');
        INDArray target = Nd4j.create(b.target(), img, 'c');
        INDArray[] features = switch (spec.architecture()) {
            case DENOISER -> new INDArray[] {x};
            case TIME_CONDITIONED -> new INDArray[] {x, Nd4j.create(b.t(), new long[] {b.n(), 1}, 'c')};
            case CLASS_CONDITIONED -> new INDArray[] {x, Nd4j.create(b.t(), new long[] {b.n(), 1}, 'c'),
                    Nd4j.create(b.c(), new long[] {b.n(), spec.numClasses()}, 'c')};
        };
        return new org.nd4j.linalg.dataset.MultiDataSet(features, new INDArray[] {target});
    }

    @Override
    public void close() {
        train.clearPlaceholders(true);
        train.clearOpInputs();
        infer = null;
    }

    /** Updates running mean/variance from each batch's statistics, and records the loss. */
    private final class BatchNormListener extends BaseListener {
        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public ListenerVariables requiredVariables(SameDiff sd) {
            ListenerVariables.Builder b = ListenerVariables.builder().trainingVariables(UNetGraph.OUT);
            for (String bn : batchNorms) {
                b.trainingVariables(bn + "_bmean", bn + "_bvar");
            }
            return b.build();
        }

        @Override
        public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName,
                INDArray activation) {
            if (varName.equals(UNetGraph.OUT)) {
                // SameDiff M2.1 does not evaluate the scalar loss node itself (its gradient needs only out - target)
                lastLoss = activation.squaredDistance(batch.getLabels(0)) / activation.length();
            } else if (varName.endsWith("_bmean")) {
                String bn = varName.substring(0, varName.length() - "_bmean".length());
                INDArray r = sd.getArrForVarName(bn + "_rmean");
                r.muli(1 - BN_MOMENTUM).addi(activation.castTo(DataType.FLOAT).mul(BN_MOMENTUM));
            } else if (varName.endsWith("_bvar")) {
                String bn = varName.substring(0, varName.length() - "_bvar".length());
                long[] s = batch.getFeatures(0).shape();
                double count = countPerChannel(bn, s[0]);
                INDArray r = sd.getArrForVarName(bn + "_rvar");
                r.muli(1 - BN_MOMENTUM).addi(activation.castTo(DataType.FLOAT)
                        .mul(BN_MOMENTUM * count / Math.max(1, count - 1)));
            }
        }
    }

    /** B * H * W of a batch norm's input, from the layer's resolution. */
    static double countPerChannel(String bn, long batch) {
        String block = bn.substring(0, 2);
        int hw = switch (block) {
            case "e1", "u2", "u3" -> 28;
            case "e2", "u1" -> 14;
            default -> 7; // e3, u0
        };
        return (double) batch * hw * hw;
    }
}
