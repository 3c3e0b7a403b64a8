package io.campanile.platform;

import io.campanile.contracts.AttemptCount;
import io.campanile.contracts.BlobInfo;
import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.JobRegistration;
import io.campanile.contracts.Json;
import io.campanile.contracts.RefEntry;
import io.campanile.contracts.StoredImage;
import io.campanile.contracts.TenantUsage;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Client of the storage service's internal API. Workers hold no database credentials: they read inputs and write
 * outputs through this client, which authenticates every call with the service's token ({@link ServiceConfig#token()}).
 * Connection failures and 5xx answers raise {@link StorageUnavailableException}.
 */
public final class StorageClient {
    // HTTP/1.1: the JDK client's default, HTTP/2, tries an h2c upgrade on cleartext connections, which costs a
    // round trip per request against the storage service.
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();
    private final URI base;
    /** {@code Bearer <token>}, or null for a stand-in of storage that checks no tokens (tests). */
    private final String authorization;

    /**
     * A client that sends no token, for stand-ins of storage in tests: the storage service answers it 401. Services
     * get theirs, with their token, from {@link StorageClients}.
     *
     * @param baseUrl e.g. {@code http://localhost:8081}
     */
    public StorageClient(String baseUrl) {
        this(baseUrl, null);
    }

    /**
     * @param baseUrl e.g. {@code http://localhost:8081}
     * @param token the service's token ({@code <service>.<mac>}), sent as {@code Authorization: Bearer}
     */
    public StorageClient(String baseUrl, String token) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.authorization = token == null ? null : "Bearer " + token;
    }

    /** Stores bytes (content-addressed: storing the same bytes twice is a no-op) and returns their address. */
    public BlobRef putBlob(byte[] bytes, String mediaType) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("internal/blobs"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", mediaType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        return new BlobRef(read(send(req, "store blob"), BlobInfo.class).sha256());
    }

    /** Stores several blobs concurrently (e.g. an image's PNG and its tensor); the addresses in the same order. */
    public List<BlobRef> putBlobs(List<byte[]> blobs, List<String> mediaTypes) {
        return concurrently(IntStream.range(0, blobs.size())
                .<Supplier<BlobRef>>mapToObj(i -> () -> putBlob(blobs.get(i), mediaTypes.get(i)))
                .toList());
    }

    /** Reads several blobs concurrently (e.g. a job's prompt embeddings); the bytes in the same order. */
    public List<byte[]> getBlobs(List<BlobRef> refs) {
        return concurrently(
                refs.stream().<Supplier<byte[]>>map(r -> () -> getBlob(r)).toList());
    }

    /** Runs calls of this client on its transfer threads (prompt states read ahead, outputs stored behind). */
    public <T> CompletableFuture<T> inBackground(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, UPLOADS);
    }

    /** Runs blocking calls side by side; a failure is rethrown as the call threw it. */
    private static <T> List<T> concurrently(List<Supplier<T>> calls) {
        List<CompletableFuture<T>> pending = calls.stream()
                .map(c -> CompletableFuture.supplyAsync(c, UPLOADS))
                .toList();
        List<T> out = new ArrayList<>();
        for (var f : pending) {
            out.add(Futures.join(f));
        }
        return out;
    }

    /** The references of a namespace whose key starts with {@code prefix} (at most 1000, by key). */
    public List<RefEntry> listRefs(String namespace, String prefix) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(
                        "internal/refs/" + namespace + "?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        return Arrays.asList(read(send(req, "list refs " + namespace), RefEntry[].class));
    }

    /** Daemon threads for concurrent transfers (blocking sends, so failures keep their exception types). */
    private static final ExecutorService UPLOADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "storage-upload");
        t.setDaemon(true);
        return t;
    });

    /** The bytes of a blob; {@link NotFoundException} when storage has none at that address. */
    public byte[] getBlob(BlobRef ref) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("internal/blobs/" + ref.sha256()))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        return send(req, "read blob " + ref.sha256());
    }

    /** Registers an output image (idempotent per job and role) and returns the stored record with its id. */
    public StoredImage registerImage(StoredImage image) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("internal/images"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonProducer.toJson(image)))
                .build();
        return read(send(req, "register image"), StoredImage.class);
    }

    /** The metadata of an image; {@link NotFoundException} when unknown. */
    public StoredImage getImage(UUID id) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("internal/images/" + id))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        return read(send(req, "read image " + id), StoredImage.class);
    }

    /**
     * The blob a named reference points at (a content-addressed cache entry), or empty when the key has none.
     *
     * @param namespace e.g. {@code text-embeddings}; letters, digits, '.', '_', '-'
     * @param key e.g. a hex digest; the same characters
     */
    public Optional<BlobRef> getRef(String namespace, String key) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("internal/refs/" + namespace + "/" + key))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        try {
            return Optional.of(read(send(req, "read ref " + namespace + "/" + key), BlobRef.class));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Binds a key to a stored blob. Idempotent; a key is bound once, so binding it to another blob is refused
     * ({@link IllegalArgumentException}), as is a blob storage does not hold ({@link NotFoundException}).
     */
    public void putRef(String namespace, String key, BlobRef ref) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("internal/refs/" + namespace + "/" + key))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JsonProducer.toJson(ref)))
                .build();
        send(req, "write ref " + namespace + "/" + key);
    }

    /**
     * Records that {@code consumer} (a worker kind's request topic) starts {@code jobId} once more and returns how many
     * starts storage has recorded for that pair, this one included, and whether the consumer finished the job
     * already. Durable across crashes of the worker: a job that kills its process is seen to have started before.
     */
    public AttemptCount recordAttempt(String consumer, UUID jobId) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("internal/attempts/" + consumer + "/" + jobId))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return read(send(req, "record attempt of " + jobId), AttemptCount.class);
    }

    /**
     * Records that {@code consumer} finished {@code jobId} (reported its end, or handed it on), with the final event
     * it is about to publish (or null): a later delivery of the same request is answered {@code finished} by {@link
     * #recordAttempt}, with that event to publish again, and is not run.
     */
    public void finishAttempt(String consumer, UUID jobId, JobEventMessage finalEvent) {
        HttpRequest.Builder req = HttpRequest.newBuilder(
                        base.resolve("internal/attempts/" + consumer + "/" + jobId + "/finished"))
                .timeout(Duration.ofSeconds(10));
        if (finalEvent == null) {
            req.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            req.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JsonProducer.toJson(finalEvent)));
        }
        send(req.build(), "record the finish of " + jobId);
    }

    /** Registers a job's tenant and holds its input blobs until the job is deleted (before its insert); idempotent. */
    public void registerJob(UUID jobId, String tenant, List<String> inputSha256) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("internal/jobs/" + jobId))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        JsonProducer.toJson(new JobRegistration(tenant, inputSha256))))
                .build();
        send(req, "register job " + jobId);
    }

    /** Deletes a job's images, files and holds in storage (their blobs are collected later). Idempotent. */
    public void deleteJob(UUID jobId) {
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve("internal/jobs/" + jobId));
        send(req.timeout(Duration.ofSeconds(30)).DELETE().build(), "delete job " + jobId);
    }

    /** Bytes of the blobs the tenant's jobs hold in storage (inputs, outputs, files). */
    public long usage(String tenant) {
        HttpRequest req = HttpRequest.newBuilder(
                        base.resolve("internal/usage/" + URLEncoder.encode(tenant, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        return read(send(req, "usage of " + tenant), TenantUsage.class).bytes();
    }

    /** Sends a request with the token added here, so that no call can forget it. */
    private byte[] send(HttpRequest request, String what) {
        HttpRequest req = authorization == null
                ? request
                : HttpRequest.newBuilder(request, (name, value) -> true)
                        .header("Authorization", authorization)
                        .build();
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new StorageUnavailableException("storage unreachable (" + what + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted (" + what + ")", e);
        }
        int status = resp.statusCode();
        if (status == 404) {
            throw new NotFoundException(what + ": not found");
        }
        if (status >= 500) {
            throw new StorageUnavailableException(what + ": storage answered " + status, null);
        }
        if (status == 401) {
            throw new IllegalArgumentException(what + ": storage refused this service's token (401): "
                    + (authorization == null
                            ? "none was sent"
                            : "campanile.service.token (CAMPANILE_SERVICE_TOKEN) is not derived from storage's "
                                    + "campanile.storage.service-secret"));
        }
        if (status >= 400) {
            throw new IllegalArgumentException(
                    what + ": storage answered " + status + " " + new String(resp.body(), StandardCharsets.UTF_8));
        }
        return resp.body();
    }

    private static <T> T read(byte[] body, Class<T> type) {
        try {
            return Json.mapper().readValue(body, type);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable answer from storage: " + e.getMessage(), e);
        }
    }

    /** Storage is down or failing; retriable. */
    public static final class StorageUnavailableException extends ConsumerLoop.RetriableException {
        public StorageUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Storage holds nothing at that address. */
    public static final class NotFoundException extends RuntimeException {
        public NotFoundException(String message) {
            super(message);
        }
    }
}
