package io.campanile.textencoder.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.VarianceType;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;
import io.campanile.packs.PackManifest.Conditioning;
import io.campanile.packs.PackManifest.Kind;
import io.campanile.packs.PackManifest.Output;
import io.campanile.platform.StorageClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Step 1 of {@link TextEncodeService}: jobs that cannot be encoded fail with a reason, before any storage call. */
class TextEncodeServiceTest {
    private static final PackManifest.SchedulerConfig SCHEDULER = new PackManifest.SchedulerConfig(
            BetaSchedule.LINEAR, 300, VarianceType.FIXED_LARGE, false, null, null, null, null);
    private static final Map<String, ModelPack> PACKS = Map.of(
            "t5",
                    pack(new PackManifest(
                            "t5",
                            Kind.TEXT_ENCODER,
                            "e.onnx",
                            null,
                            null,
                            null,
                            null,
                            null,
                            List.of(77, 4096),
                            null,
                            "spiece.model",
                            null,
                            null)),
            "digits",
                    pack(new PackManifest(
                            "digits",
                            Kind.UNET,
                            "u.onnx",
                            28,
                            1,
                            ValueRange.ZERO_ONE,
                            SCHEDULER,
                            Conditioning.CLASS,
                            List.of(1, 10),
                            Output.EPSILON,
                            null,
                            null,
                            null)));

    private static ModelPack pack(PackManifest m) {
        return new ModelPack(Path.of("/nowhere", m.id()), m);
    }

    /** A service whose storage does not exist: any cache lookup would throw. */
    private static TextEncodeService service(String defaultEncoder) {
        EmbeddingCache cache = new EmbeddingCache(new StorageClient("http://localhost:9"), 0);
        EmbeddingBatcher batcher = new EmbeddingBatcher(
                cache,
                id -> {
                    throw new AssertionError("no encoder");
                },
                new TextEncoderMetrics(new SimpleMeterRegistry()),
                8);
        return new TextEncodeService(id -> Optional.ofNullable(PACKS.get(id)), defaultEncoder, batcher);
    }

    private static JobRequestMessage job(String type, String model) {
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("prompt", "a dog");
        return JobRequestMessage.builder()
                .jobId(UUID.randomUUID())
                .jobType(type)
                .model(model)
                .seed(1L)
                .params(params)
                .inputs(Map.of())
                .createdAt(Instant.now())
                .build();
    }

    private static String failure(TextEncodeService service, JobRequestMessage job) {
        List<TextEncodeService.Outcome> out = service.process(List.of(job)).outcomes();
        return assertInstanceOf(TextEncodeService.Failed.class, out.get(0)).reason();
    }

    @Test
    void jobTypesWithoutPromptsFail() {
        assertEquals("job type 'train' takes no text prompt", failure(service("t5"), job("train", null)));
        assertEquals("job type 'paint' takes no text prompt", failure(service("t5"), job("paint", null)));
    }

    @Test
    void aClassConditionedModelFails() {
        assertEquals(
                "model 'digits' is not conditioned on T5 text (conditioning: class)",
                failure(service("t5"), job("sample", "digits")));
    }

    @Test
    void aMissingOrWrongDefaultEncoderFails() {
        assertEquals("text-encoder pack 'absent' is not installed", failure(service("absent"), job("sample", null)));
        assertEquals(
                "pack 'digits' is a unet pack, not a text encoder", failure(service("digits"), job("sample", null)));
    }
}
