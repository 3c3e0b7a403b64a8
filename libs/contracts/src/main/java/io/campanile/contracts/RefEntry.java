package io.campanile.contracts;

/**
 * A named reference in storage with its blob's size and media type, as storage lists them (e.g. the files a training
 * job stored under "job id.file name").
 *
 * @param key the reference's key
 * @param sha256 the blob it refers to
 * @param size the blob's length in bytes
 * @param mediaType the blob's media type
 */
public record RefEntry(String key, String sha256, long size, String mediaType) {}
