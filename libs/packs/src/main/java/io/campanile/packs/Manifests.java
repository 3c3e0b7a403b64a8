package io.campanile.packs;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.campanile.diffusion.schedule.VarianceType;
import io.campanile.packs.PackManifest.Conditioning;
import io.campanile.packs.PackManifest.Output;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Reads, validates and writes {@code manifest.json}. */
public final class Manifests {
    /** The manifest's file name inside a pack folder. */
    public static final String FILE = "manifest.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // isUnet() and friends are derived, not fields of the file.
            .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE);

    private Manifests() {}

    /** Reads and validates {@code dir/manifest.json}. */
    public static PackManifest read(Path dir) {
        Path file = dir.resolve(FILE);
        PackManifest m;
        try {
            m = MAPPER.readValue(file.toFile(), PackManifest.class);
        } catch (JsonProcessingException e) {
            throw new PackException(file + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PackException(file + ": cannot read: " + e.getMessage(), e);
        }
        validate(m, file.toString());
        return m;
    }

    /** Validates and writes {@code dir/manifest.json} atomically (written last, so a reader sees a whole pack). */
    public static void write(Path dir, PackManifest m) throws IOException {
        validate(m, dir.resolve(FILE).toString());
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        MAPPER.writeValue(tmp.toFile(), m);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** JSON text of a manifest. */
    public static String toJson(PackManifest m) {
        try {
            return MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks a manifest; the message names the file and the field. A choice the file names wrongly was read as null
     * (see {@link PackManifest}), so it gets the message of a missing one.
     *
     * @throws PackException when a field is missing or not allowed
     */
    public static void validate(PackManifest m, String where) {
        require(
                m.id() != null && m.id().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}"),
                where,
                "id",
                "must be 1-100 letters, digits, '.', '_' or '-'");
        require(m.kind() != null, where, "kind", "must be unet or text-encoder");
        require(
                m.onnx() != null
                        && !m.onnx().isBlank()
                        && !m.onnx().contains("/")
                        && !m.onnx().contains(".."),
                where,
                "onnx",
                "must be a file name inside the pack folder");
        List<Integer> shape = m.embeddingShape();
        require(
                shape != null
                        && shape.size() == 2
                        && shape.get(0) != null
                        && shape.get(1) != null
                        && shape.get(0) > 0
                        && shape.get(1) > 0,
                where,
                "embedding_shape",
                "must be [tokens, width]");
        if (m.isTextEncoder()) {
            require(m.tokenizer() != null && !m.tokenizer().isBlank(), where, "tokenizer", "is required");
            return;
        }
        require(m.imageSize() != null && m.imageSize() > 0, where, "image_size", "must be a positive integer");
        require(m.channels() != null && m.channels() > 0, where, "channels", "must be a positive integer");
        require(m.valueRange() != null, where, "value_range", "must be [-1,1] or [0,1]");
        require(m.conditioning() != null, where, "conditioning", "must be t5, class or none");
        require(m.output() != null, where, "output", "must be epsilon or epsilon_variance");
        if (m.conditioning() == Conditioning.CLASS) {
            require(shape.get(0) == 1, where, "embedding_shape", "must be [1, K] for class conditioning");
            require(
                    m.classLabels() == null || m.classLabels().size() == shape.get(1),
                    where,
                    "class_labels",
                    "must name exactly K = " + shape.get(1) + " classes");
        }
        PackManifest.SchedulerConfig s = m.scheduler();
        require(s != null, where, "scheduler", "is required");
        require(s.betaSchedule() != null, where, "scheduler.beta_schedule", "must be squaredcos_cap_v2 or linear");
        require(
                s.numTrainTimesteps() != null && s.numTrainTimesteps() > 1,
                where,
                "scheduler.num_train_timesteps",
                "must be an integer above 1");
        require(
                s.varianceType() != null,
                where,
                "scheduler.variance_type",
                "must be learned_range, fixed_small or fixed_large");
        require(
                s.varianceType() != VarianceType.LEARNED_RANGE || m.output() == Output.EPSILON_VARIANCE,
                where,
                "scheduler.variance_type",
                "learned_range needs output epsilon_variance");
        require(s.thresholding() != null, where, "scheduler.thresholding", "is required");
        if (s.thresholding()) {
            require(
                    s.dynamicThresholdingRatio() != null
                            && s.dynamicThresholdingRatio() > 0
                            && s.dynamicThresholdingRatio() <= 1,
                    where,
                    "scheduler.dynamic_thresholding_ratio",
                    "must be in (0, 1]");
            require(
                    s.sampleMaxValue() != null && s.sampleMaxValue() >= 1,
                    where,
                    "scheduler.sample_max_value",
                    "must be at least 1");
        }
    }

    private static void require(boolean ok, String where, String field, String rule) {
        if (!ok) {
            throw new PackException(where + ": " + field + " " + rule);
        }
    }
}
