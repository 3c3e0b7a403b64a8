package io.campanile.textencoder.service;

import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.JobType;
import io.campanile.contracts.Topics;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;
import io.campanile.text.PromptFields;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns text-conditioned jobs into jobs with embeddings: for each job, step 1 finds its encoder pack (the UNet pack's
 * {@code text_encoder}, else the configured one) and checks that the UNet takes that pack's [tokens, width]; step 2
 * embeds the prompts of all jobs together ({@link EmbeddingBatcher}); step 3 builds the message for the job type's
 * worker with an embedding for every prompt string in the parameters and for {@code ""}.
 */
public final class TextEncodeService {

    /** What becomes of a job. */
    public sealed interface Outcome {
        UUID jobId();
    }

    /** Send {@code message} to {@code topic}; {@code prompts} embeddings were attached. */
    public record Forward(UUID jobId, String topic, JobRequestMessage message, int prompts) implements Outcome {}

    /** The job fails with a reason the user can read. */
    public record Failed(UUID jobId, String reason) implements Outcome, Planned {}

    /** A job after step 1: a {@link Plan}, or {@link Failed} already. */
    private sealed interface Planned permits Plan, Failed {}

    private record Plan(JobRequestMessage job, String topic, String packId, Set<String> prompts) implements Planned {}

    /** The workers whose job types take text embeddings. */
    private static final Set<String> TEXT_TOPICS = Set.of(Topics.STAGE1_REQUESTS, Topics.STAGE2_REQUESTS);

    private final Function<String, Optional<ModelPack>> packs;
    private final String defaultEncoder;
    private final EmbeddingBatcher batcher;

    /**
     * @param packs finds a pack's manifest by id (the job's UNet pack and encoder packs)
     * @param defaultEncoder the encoder pack of jobs whose UNet pack names none
     */
    public TextEncodeService(
            Function<String, Optional<ModelPack>> packs, String defaultEncoder, EmbeddingBatcher batcher) {
        this.packs = packs;
        this.defaultEncoder = defaultEncoder;
        this.batcher = batcher;
    }

    /**
     * The outcome of each job, in order, and the embeddings stored for them whose prompts' keys are still to be bound
     * ({@link #bind}, after the jobs are forwarded: the forward waits for no more than the embeddings' storage).
     */
    public record Processed(List<Outcome> outcomes, Map<String, BlobRef> unbound) {}

    /** The jobs' outcomes. Storage or broker trouble is thrown as a retriable exception. */
    public Processed process(List<JobRequestMessage> jobs) {
        List<Planned> plans = new ArrayList<>();
        List<EmbeddingBatcher.Prompt> prompts = new ArrayList<>();
        for (JobRequestMessage job : jobs) {
            Planned plan = plan(job);
            plans.add(plan);
            if (plan instanceof Plan p) {
                p.prompts().forEach(text -> prompts.add(new EmbeddingBatcher.Prompt(p.packId(), text)));
            }
        }
        EmbeddingBatcher.Result embedded = batcher.embed(prompts);
        List<Outcome> outcomes = new ArrayList<>();
        for (Planned plan : plans) {
            outcomes.add(plan instanceof Plan p ? forward(p, embedded) : (Failed) plan);
        }
        return new Processed(outcomes, embedded.unbound());
    }

    /** Binds the prompts' keys to the embeddings {@link #process} stored, so that later jobs find them. */
    public void bind(Map<String, BlobRef> unbound) {
        batcher.bind(unbound);
    }

    /** A {@link Plan}, or {@link Failed} when the job cannot be encoded. */
    private Planned plan(JobRequestMessage job) {
        Optional<JobType> type = JobType.fromWire(job.jobType());
        if (type.isEmpty() || !TEXT_TOPICS.contains(type.get().firstTopic())) {
            return new Failed(job.jobId(), "job type '" + job.jobType() + "' takes no text prompt");
        }
        Optional<PackManifest> unet = job.model() == null
                ? Optional.empty()
                : packs.apply(job.model()).map(ModelPack::manifest);
        String encoderId = unet.map(PackManifest::textEncoder).orElse(defaultEncoder);
        Optional<PackManifest> encoder = packs.apply(encoderId).map(ModelPack::manifest);
        if (encoder.isEmpty()) {
            return new Failed(job.jobId(), "text-encoder pack '" + encoderId + "' is not installed");
        }
        if (!encoder.get().isTextEncoder()) {
            return new Failed(
                    job.jobId(),
                    "pack '" + encoderId + "' is a " + encoder.get().kind() + " pack, not a text encoder");
        }
        if (unet.isPresent()) {
            String problem = mismatch(job.model(), unet.get(), encoder.get());
            if (problem != null) {
                return new Failed(job.jobId(), problem);
            }
        }
        return new Plan(job, type.get().firstTopic(), encoderId, PromptFields.toEncode(job.params()));
    }

    private static String mismatch(String model, PackManifest unet, PackManifest encoder) {
        if (!unet.isUnet()) {
            return "model '" + model + "' is a " + unet.kind() + " pack, not a UNet";
        }
        if (unet.conditioning() != PackManifest.Conditioning.T5) {
            return "model '" + model + "' is not conditioned on T5 text (conditioning: " + unet.conditioning() + ")";
        }
        if (!unet.embeddingShape().equals(encoder.embeddingShape())) {
            return "model '" + model + "' takes text embeddings " + unet.embeddingShape() + " but text-encoder pack '"
                    + encoder.id() + "' gives " + encoder.embeddingShape();
        }
        return null;
    }

    private Outcome forward(Plan p, EmbeddingBatcher.Result embedded) {
        String failure = embedded.failedPacks().get(p.packId());
        if (failure != null) {
            return new Failed(p.job().jobId(), failure);
        }
        Map<String, BlobRef> embeddings = new LinkedHashMap<>();
        for (String text : p.prompts()) {
            embeddings.put(text, embedded.embeddings().get(EmbeddingCache.key(p.packId(), text)));
        }
        JobRequestMessage j = p.job();
        JobRequestMessage out = j.withEmbeddings(forwardedEventId(j), embeddings);
        return new Forward(j.jobId(), p.topic(), out, embeddings.size());
    }

    /** The same id for every redelivery of a request, so the worker sees a replay and not a new job. */
    static UUID forwardedEventId(JobRequestMessage request) {
        if (request.eventId() == null) {
            return UUID.randomUUID();
        }
        return UUID.nameUUIDFromBytes(("text-encoder/" + request.eventId()).getBytes(StandardCharsets.UTF_8));
    }
}
