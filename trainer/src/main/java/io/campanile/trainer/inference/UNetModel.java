package io.campanile.trainer.inference;

import io.campanile.contracts.jobs.Precision;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetLayers.Input;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.model.UNetTopology;
import io.campanile.trainer.step.AdamStep;
import io.campanile.trainer.step.ChannelOps;
import io.campanile.trainer.step.StepTimer;
import io.campanile.trainer.step.TrainStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
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
    private final UNetSpec spec;
    private final SameDiff train;
    private final List<String> params;
    private final TrainStep step;
    private final AdamStep adam;
    private final AdamState adamState;
    private SameDiff infer;
    private boolean inferStale = true;

    private UNetModel(UNetSpec spec, SameDiff train, ChannelOps ops) {
        this.spec = spec;
        this.train = train;
        this.params = train.variables().stream()
                .filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .map(SDVariable::name)
                .toList();
        this.adamState = AdamState.of(train, params);
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
        return TrainingConfig.builder()
                .updater(new Adam(new ExponentialSchedule(ScheduleType.EPOCH, lr, gamma)))
                .dataSetFeatureMapping(UNetTopology.inputs(spec.architecture()).stream()
                        .map(UNetGraph::placeholder)
                        .toArray(String[]::new))
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
        INDArray count = adamState.steps();
        long t = (long) count.getDouble(0) + 1;
        double lr = ((Adam) config.getUpdater()).getLearningRate(config.getIterationCount(), config.getEpochCount());
        double loss = step.fit(b, adam, adamState::firstMoment, adamState::secondMoment, lr, t);
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

    /** Seconds spent per phase of the training steps so far (for the benchmark), in {@link StepTimer.Phase} order. */
    public double[] phaseSeconds() {
        return Arrays.stream(step.phaseNanos()).mapToDouble(n -> n / 1e9).toArray();
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
        Map<String, INDArray> ph = inputs(b.x(), b.t(), b.c(), b.n());
        ph.put(UNetGraph.TARGET, Nd4j.create(b.target(), Input.IMAGE.shape(spec, b.n()), 'c'));
        return ph;
    }

    /** The network's inputs for n images by their placeholder names, in feature order. */
    private Map<String, INDArray> inputs(float[] x, float[] t, float[] c, int n) {
        Map<String, INDArray> ph = new LinkedHashMap<>();
        for (Input in : UNetTopology.inputs(spec.architecture())) {
            ph.put(UNetGraph.placeholder(in), Nd4j.create(in.of(x, t, c), in.shape(spec, n), 'c'));
        }
        return ph;
    }

    /** The Adam state of a weight: first moment, second moment, step count. */
    INDArray[] adamState(String param) {
        return new INDArray[] {adamState.firstMoment(param), adamState.secondMoment(param), adamState.steps()};
    }

    /** This model's own gradients on a batch (one forward and backward, no update). */
    Map<String, INDArray> stepGradients(Batch b) {
        step.run(b);
        Map<String, INDArray> out = new LinkedHashMap<>();
        step.gradients().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    /** The arithmetic of the next training steps' convolutions ({@link TrainStep#bfloat16}). */
    public void precision(Precision p) {
        step.bfloat16(p == Precision.BF16);
    }

    /** The network with running batch-norm statistics on n images; returns [n, 1, 28, 28] flattened. */
    public float[] predict(float[] x, float[] t, float[] c, int n) {
        return step.infer(x, t, c, n);
    }

    /** {@link #predict} by the SameDiff inference graph (the reference it is tested against). */
    float[] referencePredict(float[] x, float[] t, float[] c, int n) {
        syncInference();
        Map<String, INDArray> ph = inputs(x, t, c, n);
        INDArray out = infer.output(ph, UNetGraph.OUT).get(UNetGraph.OUT);
        float[] result = out.dup('c').data().asFloat();
        ph.put(UNetGraph.OUT, out);
        ph.values().stream().filter(INDArray::closeable).forEach(INDArray::close);
        return result;
    }

    /**
     * Bytes of the arrays training holds: weights, running statistics and Adam moments, and the training step's
     * activations and gradients (the estimate the gateway checks, libs/contracts {@code TrainingMemory}, is tested
     * against it).
     */
    public long trainingBytes() {
        long graph = 0;
        for (SDVariable v : train.variables()) {
            INDArray arr = v.getVariableType() == VariableType.VARIABLE || v.getVariableType() == VariableType.CONSTANT
                    ? v.getArr()
                    : null;
            if (arr != null) {
                graph += arr.length() * arr.dataType().width();
            }
        }
        return graph + step.arrayBytes();
    }

    /** Every weight and running statistic by name (copies), for export. */
    public Map<String, INDArray> weights() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (SDVariable v : train.variables()) {
            if (!AdamState.isState(v.name())
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

    private MultiDataSet toMultiDataSet(Batch b) {
        INDArray[] features = inputs(b.x(), b.t(), b.c(), b.n()).values().toArray(INDArray[]::new);
        INDArray target = Nd4j.create(b.target(), Input.IMAGE.shape(spec, b.n()), 'c');
        return new MultiDataSet(features, new INDArray[] {target});
    }

    @Override
    public void close() {
        step.close();
        train.clearPlaceholders(true);
        train.clearOpInputs();
        infer = null;
    }
}
