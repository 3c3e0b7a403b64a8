package io.campanile.textencoder.service;

import io.campanile.contracts.BlobRef;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.platform.BrokerUnavailableException;
import io.campanile.platform.ConsumerLoop;
import io.campanile.text.Encoding;
import io.campanile.textencoder.inference.LoadedEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Embeds the prompts of many jobs at once: each distinct prompt is looked up in the cache, and the misses of one
 * encoder pack run through the encoder together, {@code maxBatch} prompts per run.
 */
public final class EmbeddingBatcher {
    private static final Logger LOG = Logger.getLogger(EmbeddingBatcher.class);

    /** A prompt to embed with a pack; prompts that normalise to the same text share a {@link #key()}. */
    public record Prompt(String packId, String text) {
        public String key() {
            return EmbeddingCache.key(packId, text);
        }
    }

    /**
     * @param embeddings embedding addresses by prompt key
     * @param failedPacks why a pack's prompts could not be encoded, by pack id
     * @param unbound the embeddings encoded and stored now, whose keys are still to be bound ({@link #bind}) once the
     *     jobs are forwarded
     */
    public record Result(
            Map<String, BlobRef> embeddings, Map<String, String> failedPacks, Map<String, BlobRef> unbound) {}

    private final EmbeddingCache cache;
    private final Function<String, LoadedEncoder> encoders;
    private final TextEncoderMetrics metrics;
    private final int maxBatch;

    /** @param encoders the loaded encoder of a pack id (throws when it cannot be loaded) */
    public EmbeddingBatcher(
            EmbeddingCache cache, Function<String, LoadedEncoder> encoders, TextEncoderMetrics metrics, int maxBatch) {
        this.cache = cache;
        this.encoders = encoders;
        this.metrics = metrics;
        this.maxBatch = maxBatch;
    }

    /**
     * The embeddings of the prompts. Storage or broker trouble is thrown (retriable); a pack that cannot encode (not
     * installed, a broken graph) is reported in {@link Result#failedPacks()} and leaves the other packs unaffected.
     */
    public Result embed(Collection<Prompt> prompts) {
        Map<String, BlobRef> found = new HashMap<>();
        Map<String, List<Prompt>> missesByPack = new LinkedHashMap<>();
        Map<String, Prompt> distinct = new LinkedHashMap<>();
        prompts.forEach(p -> distinct.putIfAbsent(p.key(), p));
        distinct.forEach((key, p) -> cache.find(key)
                .ifPresentOrElse(
                        ref -> {
                            metrics.hit();
                            found.put(key, ref);
                        },
                        () -> {
                            metrics.miss();
                            missesByPack
                                    .computeIfAbsent(p.packId(), id -> new ArrayList<>())
                                    .add(p);
                        }));
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, BlobRef> unbound = new LinkedHashMap<>();
        missesByPack.forEach((packId, misses) -> {
            try {
                LoadedEncoder encoder = encoders.apply(packId);
                for (int from = 0; from < misses.size(); from += maxBatch) {
                    List<Prompt> batch = misses.subList(from, Math.min(misses.size(), from + maxBatch));
                    Map<String, BlobRef> stored = encodeAndStore(encoder, batch);
                    found.putAll(stored);
                    unbound.putAll(stored);
                }
            } catch (ConsumerLoop.RetriableException | BrokerUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.errorf(e, "text-encoder pack %s failed", packId);
                failed.put(packId, "text encoder '" + packId + "' failed: " + e.getMessage());
            }
        });
        return new Result(found, failed, unbound);
    }

    /** Binds the prompts' keys to their stored embeddings ({@link Result#unbound()}), so later jobs find them. */
    public void bind(Map<String, BlobRef> unbound) {
        unbound.forEach(cache::bind);
    }

    /**
     * Step 1 tokenize, step 2 one encoder run for the batch, step 3 store each prompt's [tokens, width] slice (its key
     * is bound later).
     */
    private Map<String, BlobRef> encodeAndStore(LoadedEncoder encoder, List<Prompt> batch) {
        int n = batch.size();
        long[][] ids = new long[n][];
        long[][] mask = new long[n][];
        for (int i = 0; i < n; i++) {
            Encoding e = encoder.tokenizer().encodePrompt(batch.get(i).text());
            if (e.maxLength() != encoder.tokens()) {
                throw new IllegalStateException("pack " + encoder.pack().id() + " takes " + encoder.tokens()
                        + " tokens but the tokenizer gives " + e.maxLength());
            }
            ids[i] = e.ids();
            mask[i] = e.attentionMask();
        }
        long t0 = System.nanoTime();
        Tensor states = encoder.encode(ids, mask);
        long nanos = System.nanoTime() - t0;
        metrics.encoded(n, nanos);
        LOG.infof(
                "encoded %d prompt(s) with %s in %.1f ms (%.1f ms per prompt)",
                n, encoder.pack().id(), nanos / 1e6, nanos / 1e6 / n);
        int rowSize = encoder.tokens() * encoder.width();
        Map<String, BlobRef> stored = new HashMap<>();
        for (int i = 0; i < n; i++) {
            float[] row = Arrays.copyOfRange(states.data(), i * rowSize, (i + 1) * rowSize);
            String key = batch.get(i).key();
            stored.put(key, cache.store(new Tensor(new int[] {encoder.tokens(), encoder.width()}, row)));
        }
        return stored;
    }
}
