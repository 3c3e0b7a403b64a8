package io.campanile.stage1.service;

import io.campanile.onnx.OnnxConfig;
import io.campanile.onnx.inference.UnetModel;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackException;
import io.campanile.packs.PackRegistry;
import io.campanile.packs.PacksConfig;
import io.campanile.platform.JobFailedException;
import io.campanile.stage1.engine.LoadedPack;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The model packs this worker runs, loaded on first use and kept: the manifest and scheduler always, the UNet session
 * when the pack's weights are installed. A pack installed after start is found by rescanning the packs folder.
 */
@ApplicationScoped
public class PackModels {
    private static final Logger LOG = Logger.getLogger(PackModels.class);

    @Inject
    PacksConfig packs;
    @Inject
    OnnxConfig onnx;

    private final Map<String, LoadedPack> loaded = new ConcurrentHashMap<>();

    /** The pack a job names, loaded; a job failure naming the pack when it cannot be used. */
    public synchronized LoadedPack get(String id) {
        LoadedPack p = loaded.get(id);
        if (p != null && (p.unet() != null || !p.pack().installed())) {
            return p;
        }
        ModelPack pack = PackRegistry.scan(Path.of(packs.dir())).find(id).orElseThrow(() -> new JobFailedException(
                "model '" + id + "' is not in the packs folder " + Path.of(packs.dir()).toAbsolutePath()
                        + " of this worker"));
        try {
            UnetModel unet = pack.installed() ? UnetModel.load(pack, onnx.options()) : null;
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

    @PreDestroy
    void close() {
        loaded.values().stream().filter(p -> p.unet() != null).forEach(p -> p.unet().close());
        loaded.clear();
    }
}
