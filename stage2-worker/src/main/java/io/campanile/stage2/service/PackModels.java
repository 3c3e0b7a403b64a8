package io.campanile.stage2.service;

import io.campanile.engine.LoadedPack;
import io.campanile.engine.PackLoader;
import io.campanile.onnx.OnnxConfig;
import io.campanile.packs.PacksConfig;
import io.campanile.platform.JobFailedException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;

/**
 * The stage-II packs this worker runs ({@code campanile.packs.dir}, {@code campanile.onnx.*}). Only installed upscaler
 * packs (IF stage II shaped: sample [B, 2C, S, S] and class_labels) are accepted.
 */
@ApplicationScoped
public class PackModels {
    @Inject
    PacksConfig packs;
    @Inject
    OnnxConfig onnx;
    private PackLoader loader;

    @PostConstruct
    void init() {
        loader = new PackLoader(Path.of(packs.dir()), onnx.options());
    }

    /** The upscaler pack a job names, loaded; a job failure naming the pack when it cannot be used. */
    public LoadedPack get(String id) {
        LoadedPack p = loader.get(id);
        p.requireUnet();
        if (!p.unet().upscaler()) {
            throw new JobFailedException("model '" + id + "' is not a stage-II upscaler (its UNet takes no"
                    + " class_labels and no upscaled image)");
        }
        return p;
    }

    @PreDestroy
    void close() {
        loader.close();
    }
}
