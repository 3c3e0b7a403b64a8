package io.campanile.stage2.service;

import io.campanile.onnx.OnnxConfig;
import io.campanile.onnx.inference.UnetModel;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackException;
import io.campanile.packs.PackRegistry;
import io.campanile.packs.PacksConfig;
import io.campanile.platform.JobFailedException;
import io.campanile.stage2.engine.LoadedPack;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The stage-II packs this worker runs, loaded on first use and kept. A pack installed after start is found by
 * rescanning the packs folder. Only installed upscaler packs (IF stage II shaped) are accepted.
 */
@ApplicationScoped
public class PackModels {
    private static final Logger LOG = Logger.getLogger(PackModels.class);

    @Inject
    PacksConfig packs;
    @Inject
    OnnxConfig onnx;

    private final Map<String, LoadedPack> loaded = new ConcurrentHashMap<>();

    /** The upscaler pack a job names, loaded; a job failure naming the pack when it cannot be used. */
    public synchronized LoadedPack get(String id) {
        LoadedPack p = loaded.get(id);
        if (p != null) {
            return p;
        }
        Path dir = Path.of(packs.dir());
        ModelPack pack = PackRegistry.scan(dir).find(id).orElseThrow(() -> new JobFailedException(
                "model '" + id + "' is not in the packs folder " + dir.toAbsolutePath() + " of this worker"));
        if (!pack.installed()) {
            throw new JobFailedException("model '" + id + "' has no weights installed on this worker ("
                    + pack.manifest().onnx() + " is missing)");
        }
        UnetModel unet;
        try {
            unet = UnetModel.load(pack, onnx.options());
        } catch (PackException | IllegalArgumentException e) {
            throw new JobFailedException("model '" + id + "' cannot be used: " + e.getMessage());
        }
        if (!unet.upscaler()) {
            unet.close();
            throw new JobFailedException("model '" + id + "' is not a stage-II upscaler (its UNet takes no"
                    + " class_labels and no upscaled image)");
        }
        p = new LoadedPack(pack, LoadedPack.schedulerOf(pack.manifest()), unet);
        LOG.infof("stage-II pack %s ready", id);
        loaded.put(id, p);
        return p;
    }

    @PreDestroy
    void close() {
        loaded.values().forEach(p -> p.unet().close());
        loaded.clear();
    }
}
