package io.campanile.engine.packs;

import io.campanile.onnx.OnnxOptions;
import io.campanile.onnx.StepBatching;
import io.campanile.onnx.inference.UnetModel;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackException;
import io.campanile.packs.PackRegistry;
import io.campanile.platform.JobFailedException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The model packs a worker runs, loaded on first use and kept: the manifest and scheduler always, the UNet session
 * when the pack's weights are installed. A pack installed after start is found by rescanning the packs folder, and a
 * pack whose weights arrive later is loaded again.
 */
public final class PackLoader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PackLoader.class);

    private final Path dir;
    private final OnnxOptions options;
    private final StepBatching batching;
    private final Map<String, LoadedPack> loaded = new ConcurrentHashMap<>();

    /** A loader whose packs run every call alone. */
    public PackLoader(Path dir, OnnxOptions options) {
        this(dir, options, StepBatching.off());
    }

    /** @param batching how each pack merges the steps of concurrent jobs */
    public PackLoader(Path dir, OnnxOptions options, StepBatching batching) {
        this.dir = dir;
        this.options = options;
        this.batching = batching;
    }

    /**
     * The pack a job names, loaded; a job failure naming the pack when it is unknown or cannot be used. A pack loaded
     * already is returned without waiting for another job's load (concurrent jobs, {@code concurrent-jobs}).
     */
    public LoadedPack get(String id) {
        LoadedPack p = loaded.get(id);
        if (ready(p)) {
            return p;
        }
        return load(id);
    }

    private static boolean ready(LoadedPack p) {
        return p != null && (p.unet() != null || !p.pack().installed());
    }

    private synchronized LoadedPack load(String id) {
        LoadedPack p = loaded.get(id);
        if (ready(p)) {
            return p; // another job loaded it meanwhile
        }
        ModelPack pack = PackRegistry.scan(dir)
                .find(id)
                .orElseThrow(() -> new JobFailedException(
                        "model '" + id + "' is not in the packs folder " + dir.toAbsolutePath() + " of this worker"));
        try {
            UnetModel unet = pack.installed() ? UnetModel.load(pack, options, batching) : null;
            p = new LoadedPack(pack, LoadedPack.schedulerOf(pack.manifest()), unet);
        } catch (PackException | IllegalArgumentException e) {
            throw new JobFailedException("model '" + id + "' cannot be used: " + e.getMessage());
        }
        LOG.infof("model pack %s ready (%s)", id, p.unet() != null ? "UNet loaded" : "manifest only");
        LoadedPack previous = loaded.put(id, p);
        if (previous != null && previous.unet() != null) {
            previous.unet().close();
        }
        return p;
    }

    @Override
    public synchronized void close() {
        loaded.values().stream()
                .filter(p -> p.unet() != null)
                .forEach(p -> p.unet().close());
        loaded.clear();
    }
}
