package io.campanile.storage.service;

import io.campanile.contracts.BlobRef;
import io.campanile.contracts.StoredImage;
import io.campanile.storage.persistence.BlobRepository;
import io.campanile.storage.persistence.ImageEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** Registers and looks up output images. Registration is idempotent per (job, role). */
@ApplicationScoped
public class ImageCatalog {
    private final BlobRepository blobs;

    @Inject
    ImageCatalog(BlobRepository blobs) {
        this.blobs = blobs;
    }

    /**
     * Registers an image whose blobs are already stored, or returns the image already registered for its job and
     * role (a redelivered job re-registers the same outputs).
     *
     * @throws IllegalArgumentException when a referenced blob is missing or a field is absent
     */
    @Transactional
    public StoredImage register(StoredImage req) {
        validate(req);
        Optional<ImageEntity> existing = ImageEntity.findByJobAndRole(req.jobId(), req.role());
        if (existing.isPresent()) {
            return toRecord(existing.get());
        }
        ImageEntity e = new ImageEntity();
        e.id = UUID.randomUUID();
        e.jobId = req.jobId();
        e.role = req.role();
        e.ordinal = req.ordinal();
        e.pngSha256 = req.png().sha256();
        e.tensorSha256 = req.tensor() == null ? null : req.tensor().sha256();
        e.shape = req.shape().stream().map(String::valueOf).collect(Collectors.joining(","));
        e.dtype = req.dtype() == null ? "float32" : req.dtype();
        e.valueRange = req.valueRange() == null ? "[0,1]" : req.valueRange();
        e.createdAt = Instant.now();
        e.persist();
        return toRecord(e);
    }

    private void validate(StoredImage req) {
        if (req.jobId() == null
                || req.role() == null
                || req.role().isBlank()
                || req.png() == null
                || req.shape() == null
                || req.shape().isEmpty()) {
            throw new IllegalArgumentException("jobId, role, png and shape are required");
        }
        if (blobs.info(req.png().sha256()).isEmpty()) {
            throw new IllegalArgumentException("png blob " + req.png().sha256() + " is not stored");
        }
        if (req.tensor() != null && blobs.info(req.tensor().sha256()).isEmpty()) {
            throw new IllegalArgumentException("tensor blob " + req.tensor().sha256() + " is not stored");
        }
    }

    @Transactional
    public Optional<StoredImage> find(UUID id) {
        return ImageEntity.<ImageEntity>findByIdOptional(id).map(ImageCatalog::toRecord);
    }

    @Transactional
    public List<StoredImage> listByJob(UUID jobId) {
        return ImageEntity.listByJob(jobId).stream().map(ImageCatalog::toRecord).toList();
    }

    static StoredImage toRecord(ImageEntity e) {
        List<Integer> shape =
                Arrays.stream(e.shape.split(",")).map(Integer::valueOf).toList();
        return StoredImage.builder()
                .id(e.id)
                .jobId(e.jobId)
                .role(e.role)
                .ordinal(e.ordinal)
                .png(new BlobRef(e.pngSha256.trim()))
                .tensor(e.tensorSha256 == null ? null : new BlobRef(e.tensorSha256.trim()))
                .shape(shape)
                .dtype(e.dtype)
                .valueRange(e.valueRange)
                .createdAt(e.createdAt)
                .build();
    }
}
