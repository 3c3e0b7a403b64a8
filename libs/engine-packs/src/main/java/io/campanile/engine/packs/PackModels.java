package io.campanile.engine.packs;

import io.campanile.onnx.OnnxConfig;
import io.campanile.packs.PacksConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;

/**
 * The model packs a diffusion worker runs ({@code campanile.packs.dir}, {@code campanile.onnx.*} session options and
 * the merging of concurrent jobs' steps).
 */
@ApplicationScoped
public class PackModels {
    private final PacksConfig packs;
    private final OnnxConfig onnx;
    private PackLoader loader;

    @Inject
    PackModels(PacksConfig packs, OnnxConfig onnx) {
        this.packs = packs;
        this.onnx = onnx;
    }

    @PostConstruct
    void init() {
        loader = new PackLoader(Path.of(packs.dir()), onnx.options(), onnx.batching());
    }

    /** The pack a job names, loaded; a job failure naming the pack when it cannot be used. */
    public LoadedPack get(String id) {
        return loader.get(id);
    }

    @PreDestroy
    void close() {
        loader.close();
    }
}
