package io.campanile.trainer.inference;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.step.AdamStep;
import io.campanile.trainer.step.ChannelOps;
import io.campanile.trainer.step.TrainStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * A trainable course UNet. Its weights, batch-norm running statistics and Adam moments live in a SameDiff graph
 * (the training form of {@link UNetGraph}, which is also the checkpoint format); a training step runs on
 * {@link TrainStep} (hand-written forward and backward with fused batch norm and GELU, several times faster than
 * SameDiff's autodiff of the same graph, which the tests keep as the reference) and {@link AdamStep}. Inference
 * ({@link #predict}) runs on the same step with the running statistics. Checkpoints written by the earlier
 * SameDiff-fit trainer load with their Adam moments and step count taken from SameDiff's own optimiser state. Not
 * thread-safe.
 */
public final class UNetModel implements AutoCloseable {
    static final String ADAM_M = "_adam_m";
    static final String ADAM_V = "_adam_v";
    static final String ADAM_STEP = "adam_step";

    private final UNetSpec spec;
    private final SameDiff train;
    private final List<String> params;
    private final TrainStep step;
    private final AdamStep adam;
    private SameDiff infer;
    private boolean inferStale = true;

    private UNetModel(UNetSpec spec, SameDiff train, ChannelOps ops) {
        this.spec = spec;
        this.train = train;
        this.params = train.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .map(SDVariable::name).toList();
        Map<String, GradientUpdater> earlier = train.getUpdaterMap();
        boolean imported = false;
        for (String p : params) {
            INDArray w = train.getArrForVarName(p);
            if (!train.hasVariable(p + ADAM_M)) {
                INDArray m = Nd4j.zeros(DataType.FLOAT, w.shape());
                INDArray v = Nd4j.zeros(DataType.FLOAT, w.shape());
                if (earlier != null && earlier.get(p) instanceof AdamUpdater u && u.getM() != null) {
                    m.assign(u.getM().reshape('c', w.shape()));
                    v.assign(u.getV().reshape('c', w.shape()));
                    imported = true;
                }
                train.constant(p + ADAM_M, m);
                train.constant(p + ADAM_V, v);
            }
        }
        if (!train.hasVariable(ADAM_STEP)) {
            double steps = imported ? train.getTrainingConfig().getIterationCount() : 0;
            train.constant(ADAM_STEP, Nd4j.scalar(DataType.DOUBLE, steps).reshape(1));
        }
        this.step = new TrainStep(spec, train::getArrForVarName, ops);
        Adam config = (Adam) train.getTrainingConfig().getUpdater();
        this.adam = new AdamStep(config.getBeta1(), config.getBeta2(), config.getEpsilon());
    }

    /**
     * A fresh model.
     *
     * @param lr Adam learning rate at epoch 0
     * @param gammaPerEpoch learning-rate factor per epoch (1 for constant; ExponentialLR)
     */
    public static UNetModel create(UNetSpec spec, long seed, double lr, double gammaPerEpoch) {
        return create(spec, seed, lr, gammaPerEpoch, ChannelOps.BEST);
    }

    /** A fresh model whose training steps run on the given form of the kernels' inner loops. */
    static UNetModel create(UNetSpec spec, long seed, double lr, double gammaPerEpoch, ChannelOps ops) {
        UNetGraph g = UNetGraph.build(spec, true, seed);
        SameDiff sd = g.sameDiff();
        sd.setTrainingConfig(trainingConfig(spec, lr, gammaPerEpoch));
        return new UNetModel(spec, sd, ops);
    }

    /** Loads a checkpoint written by {@link #save}, with its Adam state and epoch count. */
    public static UNetModel load(UNetSpec spec, Path file) {
        SameDiff sd;
        try {
            sd = SameDiff.load(file.toFile(), true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (sd.getTrainingConfig() == null || !(sd.getTrainingConfig().getUpdater() instanceof Adam)) {
            throw new IllegalArgumentException("checkpoint " + file + " has no Adam training configuration");
        }
        return new UNetModel(spec, sd, ChannelOps.BEST);
    }

    static TrainingConfig trainingConfig(UNetSpec spec, double lr, double gamma) {
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
        TrainingConfig config = train.getTrainingConfig();
        double loss = step.run(b);
        INDArray count = train.getArrForVarName(ADAM_STEP);
        long t = (long) count.getDouble(0) + 1;
        double lr = ((Adam) config.getUpdater()).getLearningRate(config.getIterationCount(), config.getEpochCount());
        adam.apply(step.gradients(), train::getArrForVarName, p -> train.getArrForVarName(p + ADAM_M),
                p -> train.getArrForVarName(p + ADAM_V), lr, t);
        count.putScalar(0, t);
        config.incrementIterationCount();
        inferStale = true;
        return loss;
    }

    /**
     * One Adam step by SameDiff's own {@code fit} on the same graph (autodiff of the broadcast-op formulation): the
     * benchmark's in-process reference. It keeps its own optimiser state and no running statistics; do not mix it
     * with {@link #fit} on a model you go on training.
     */
    public void autodiffFit(Batch b) {
        int epoch = train.getTrainingConfig().getEpochCount();
        train.fit(toMultiDataSet(b));
        train.getTrainingConfig().setEpochCount(epoch); // fit(MultiDataSet) counts each call as an epoch
        inferStale = true;
    }

    /** Seconds spent per phase of the training steps so far (for the benchmark), in {@link TrainStep.Phase} order. */
    public double[] phaseSeconds() {
        return java.util.Arrays.stream(step.phaseNanos()).mapToDouble(n -> n / 1e9).toArray();
    }

    /** The graph's weight gradients on a batch by SameDiff autodiff (the reference {@link TrainStep} is tested on). */
    Map<String, INDArray> referenceGradients(Batch b) {
        return train.calculateGradients(placeholders(b), params);
    }

    /** Values of the SameDiff training graph's variables on a batch (e.g. a batch norm's _bmean), for tests. */
    Map<String, INDArray> referenceOutputs(Batch b, String... names) {
        return train.output(placeholders(b), names);
    }

    /** The training graph's placeholders for a batch. */
    private Map<String, INDArray> placeholders(Batch b) {
        MultiDataSet mds = toMultiDataSet(b);
        Map<String, INDArray> ph = new HashMap<>();
        String[] features = train.getTrainingConfig().getDataSetFeatureMapping().toArray(String[]::new);
        for (int i = 0; i < features.length; i++) {
            ph.put(features[i], mds.getFeatures(i));
        }
        ph.put(UNetGraph.TARGET, mds.getLabels(0));
        return ph;
    }

    /** The Adam state of a weight: first moment, second moment, step count. */
    INDArray[] adamState(String param) {
        return new INDArray[] {train.getArrForVarName(param + ADAM_M), train.getArrForVarName(param + ADAM_V),
            train.getArrForVarName(ADAM_STEP)};
    }

    /** This model's own gradients on a batch (one forward and backward, no update). */
    Map<String, INDArray> stepGradients(Batch b) {
        step.run(b);
        Map<String, INDArray> out = new LinkedHashMap<>();
        step.gradients().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    /** The network with running batch-norm statistics on n images; returns [n, 1, 28, 28] flattened. */
    public float[] predict(float[] x, float[] t, float[] c, int n) {
        return step.infer(x, t, c, n);
    }

    /** {@link #predict} by the SameDiff inference graph (the reference it is tested against). */
    float[] referencePredict(float[] x, float[] t, float[] c, int n) {
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
            boolean optimiserState = v.name().endsWith(ADAM_M) || v.name().endsWith(ADAM_V)
                    || v.name().equals(ADAM_STEP);
            if (!optimiserState
                    && (v.getVariableType() == VariableType.VARIABLE || v.getVariableType() == VariableType.CONSTANT)) {
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
        step.close();
        train.clearPlaceholders(true);
        train.clearOpInputs();
        infer = null;
    }
}
