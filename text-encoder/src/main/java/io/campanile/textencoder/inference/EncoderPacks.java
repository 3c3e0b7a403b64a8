package io.campanile.textencoder.inference;

import io.campanile.onnx.OnnxOptions;
import io.campanile.onnx.inference.TextEncoderModel;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackException;
import io.campanile.packs.PackRegistry;
import io.campanile.text.T5Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The model packs of {@code campanile.packs.dir}, and the text-encoder packs loaded from them on first use (an IF
 * encoder holds 19 GB of weights, so only packs that jobs need are loaded). The folder is scanned again when a job
 * names a pack the last scan did not find, so packs installed while the service runs are picked up. Used by the
 * consumer thread only.
 */
public final class EncoderPacks implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EncoderPacks.class);
    private static final long RESCAN_NANOS = 5_000_000_000L;

    private final Path root;
    private final OnnxOptions options;
    private final Map<String, LoadedEncoder> loaded = new HashMap<>();
    private PackRegistry registry;
    private long scannedAt;

    public EncoderPacks(Path root, OnnxOptions options) {
        this.root = root.toAbsolutePath();
        this.options = options;
        rescan();
    }

    /** The pack with this id, scanning the folder again (at most every few seconds) when it is not known. */
    public Optional<ModelPack> find(String id) {
        Optional<ModelPack> pack = registry.find(id);
        if (pack.isEmpty() && System.nanoTime() - scannedAt > RESCAN_NANOS) {
            rescan();
            pack = registry.find(id);
        }
        return pack;
    }

    /**
     * The loaded text-encoder pack.
     *
     * @throws PackException when the pack is missing, is not a text encoder, or its files are not installed
     */
    public LoadedEncoder encoder(String id) {
        LoadedEncoder e = loaded.get(id);
        if (e != null) {
            return e;
        }
        ModelPack pack = find(id).orElseThrow(() -> new PackException("text-encoder pack '" + id + "' is not in " + root
                + " (found " + registry.all().stream().map(ModelPack::id).toList() + ")"));
        if (!pack.manifest().isTextEncoder()) {
            throw new PackException("pack '" + id + "' is a " + pack.manifest().kind() + ", not a text-encoder");
        }
        if (!pack.installed()) {
            throw new PackException("text-encoder pack '" + id + "' has no "
                    + pack.onnxFile().getFileName() + " in " + pack.dir() + " (weights not installed)");
        }
        Path spiece = pack.dir().resolve(pack.manifest().tokenizer());
        if (!Files.isRegularFile(spiece)) {
            throw new PackException("text-encoder pack '" + id + "' has no tokenizer file " + spiece);
        }
        long t0 = System.nanoTime();
        T5Tokenizer tokenizer = T5Tokenizer.load(spiece);
        try {
            e = new LoadedEncoder(pack, tokenizer, TextEncoderModel.load(pack, options));
        } catch (RuntimeException ex) {
            tokenizer.close();
            throw ex;
        }
        LOG.infof("loaded text-encoder pack %s in %d ms", id, (System.nanoTime() - t0) / 1_000_000);
        loaded.put(id, e);
        return e;
    }

    private void rescan() {
        registry = PackRegistry.scan(root);
        scannedAt = System.nanoTime();
        registry.problems().forEach(p -> LOG.warnf("model pack skipped: %s", p));
    }

    @Override
    public void close() {
        loaded.values().forEach(LoadedEncoder::close);
        loaded.clear();
    }
}
