package io.campanile.engine.packs;

import io.campanile.onnx.OnnxOptions;
import io.campanile.onnx.inference.UnetModel;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackException;
import io.campanile.packs.PackRegistry;
import io.campanile.platform.JobFailedException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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
    private final Map<String, LoadedPack> loaded = new HashMap<>();

    public PackLoader(Path dir, OnnxOptions options) {
        this.dir = dir;
        this.options = options;
    }

    /** The pack a job names, loaded; a job failure naming the pack when it is unknown or cannot be used. */
    public synchronized LoadedPack get(String id) {
        LoadedPack p = loaded.get(id);
        if (p != null && (p.unet() != null || !p.pack().installed())) {
            return p;
        }
        ModelPack pack = PackRegistry.scan(dir)
                .find(id)
                .orElseThrow(() -> new JobFailedException(
                        "model '" + id + "' is not in the packs folder " + dir.toAbsolutePath() + " of this worker"));
        try {
            UnetModel unet = pack.installed() ? UnetModel.load(pack, options) : null;
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
