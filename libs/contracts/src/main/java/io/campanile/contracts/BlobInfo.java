package io.campanile.contracts;

import java.time.Instant;

/** What storage knows of a blob: its address, size, media type and when it was first stored. */
public record BlobInfo(String sha256, long size, String mediaType, Instant createdAt) {}
