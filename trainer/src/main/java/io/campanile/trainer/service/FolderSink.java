package io.campanile.trainer.service;

import io.campanile.contracts.Progress;
import io.campanile.diffusion.image.ImageCodec;
import io.campanile.diffusion.image.PngText;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.platform.JobCancelledException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A training run writing into a folder (command line, tests): images as PNG named by role, files by key. Each PNG
 * carries what made it as text chunks, as a job's outputs do: {@code Software}, the run's {@code generation} entries
 * ({@code type}, {@code seed}, {@code params}) and its {@code role}.
 */
public final class FolderSink implements TrainingSink {
    private final Path dir;
    private final Map<String, String> generation;
    private final boolean verbose;
    private final BooleanSupplier cancelled;
    private final List<String> roles = new ArrayList<>();
    private final List<Progress> progress = new ArrayList<>();

    public FolderSink(Path dir, boolean verbose, BooleanSupplier cancelled) {
        this(dir, verbose, cancelled, Map.of());
    }

    /** @param generation text chunks for every PNG (keyword to text, in order), besides Software and role */
    public FolderSink(Path dir, boolean verbose, BooleanSupplier cancelled, Map<String, String> generation) {
        this.dir = dir;
        this.generation = new LinkedHashMap<>(generation);
        this.verbose = verbose;
        this.cancelled = cancelled;
    }

    public List<String> roles() {
        return List.copyOf(roles);
    }

    public List<Progress> progressEvents() {
        return List.copyOf(progress);
    }

    @Override
    public void progress(Progress p) {
        progress.add(p);
        if (verbose && (p.step() % 20 == 0 || p.step() == p.total())) {
            System.out.printf(
                    Locale.ROOT,
                    "epoch %d step %d/%d loss %.5f %.1f img/s eta %.0f s%n",
                    p.epoch(),
                    p.step(),
                    p.total(),
                    p.loss(),
                    p.imagesPerSecond(),
                    p.etaSeconds());
        }
    }

    @Override
    public void image(String role, Tensor chw) {
        write(role + ".png", tagged(role, ImageCodec.encodePng(chw, ValueRange.ZERO_ONE)));
        roles.add(role);
    }

    @Override
    public void figure(String role, byte[] png, Tensor chw) {
        picture(role, png);
    }

    @Override
    public void picture(String role, byte[] png) {
        write(role + ".png", tagged(role, png));
        roles.add(role);
    }

    @Override
    public void putFile(String key, byte[] bytes, String mediaType) {
        write(key, bytes);
    }

    @Override
    public Optional<byte[]> file(String key) {
        Path f = dir.resolve(key);
        try {
            return Files.exists(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void checkCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new JobCancelledException("cancelled");
        }
    }

    private byte[] tagged(String role, byte[] png) {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("Software", "campanile");
        text.putAll(generation);
        text.put("role", role);
        return PngText.with(png, text);
    }

    private void write(String name, byte[] bytes) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name.replace(' ', '_').replace('=', '-')), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
