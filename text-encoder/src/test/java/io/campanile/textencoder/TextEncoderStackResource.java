package io.campanile.textencoder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.ServiceCredentials;
import io.campanile.packs.Manifests;
import io.campanile.testkit.EmbeddedPostgres;
import io.campanile.testkit.Infrastructure;
import io.campanile.testkit.ServiceProcess;
import io.campanile.testpacks.TestPacks;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the text encoder talks to, for real: embedded Kafka, the storage service as its own process (from
 * {@code storage/target/quarkus-app}, so storage must be packaged first) on embedded PostgreSQL with a fresh service
 * secret, and a packs folder
 * with the test T5 encoder (also as an external-data copy), the test IF stage-I UNet, two UNet manifests that do not
 * fit the encoder and one that names the external-data copy.
 */
public class TextEncoderStackResource implements QuarkusTestResourceLifecycleManager {
    /** A T5-conditioned UNet that takes [77, 64] states: the encoder's [77, 4096] do not fit. */
    static final String NARROW_UNET = "test-unet-narrow";
    /** A T5-conditioned UNet whose text encoder is not installed. */
    static final String ORPHAN_UNET = "test-unet-orphan";

    static final String MISSING_ENCODER = "no-such-encoder";
    /** The test T5 encoder with its weights in ONNX external data. */
    static final String EXTERNAL_ENCODER = "test-t5-encoder-external";
    /** A T5-conditioned UNet whose text encoder is {@link #EXTERNAL_ENCODER}. */
    static final String EXTERNAL_UNET = "test-unet-external-t5";

    private ServiceProcess storage;
    /** Storage's secret for this run; the encoder gets its token derived from it, as in the local stack. */
    private String secret;

    @Override
    public Map<String, String> start() {
        Path target = Path.of("target").toAbsolutePath();
        Path packs = target.resolve("test-packs");
        try {
            ExternalDataPack.write(TestPacks.t5Encoder(packs), packs, EXTERNAL_ENCODER);
            Path unet = TestPacks.stage1(packs).dir().resolve(Manifests.FILE);
            writeVariant(unet, packs.resolve(NARROW_UNET), List.of(77, 64), null);
            writeVariant(unet, packs.resolve(ORPHAN_UNET), List.of(77, 4096), MISSING_ENCODER);
            writeVariant(unet, packs.resolve(EXTERNAL_UNET), List.of(77, 4096), EXTERNAL_ENCODER);
            EmbeddedPostgres pg = Infrastructure.postgres();
            int port = freePort();
            secret = ServiceCredentials.newSecret();
            storage = ServiceProcess.start(
                    target.getParent().getParent(),
                    "storage",
                    "storage",
                    port,
                    Map.of(
                            "quarkus.datasource.jdbc.url",
                            pg.jdbcUrl("storage"),
                            "quarkus.datasource.username",
                            EmbeddedPostgres.USER,
                            "quarkus.datasource.password",
                            EmbeddedPostgres.PASSWORD,
                            "campanile.storage.service-secret",
                            secret),
                    target.resolve("logs"));
            storage.awaitReady(Duration.ofSeconds(120));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Map.of(
                "campanile.kafka.bootstrap-servers",
                Infrastructure.kafka().bootstrapServers(),
                "campanile.storage.url",
                storage.url(),
                "campanile.service.token",
                ServiceCredentials.token(secret, "text-encoder"),
                "campanile.packs.dir",
                packs.toString(),
                "campanile.text-encoder.pack",
                TestPacks.T5_ENCODER,
                "campanile.text-encoder.max-wait-ms",
                "1000",
                "campanile.text-encoder.max-batch",
                "8",
                "campanile.worker.max-attempts",
                "2");
    }

    /** A manifest-only pack: the UNet's manifest with another id, embedding shape and text encoder. */
    private static void writeVariant(Path manifest, Path dir, List<Integer> shape, String textEncoder)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = (ObjectNode) json.readTree(manifest.toFile());
        m.put("id", dir.getFileName().toString());
        m.put("description", "manifest only, for the text-encoder tests");
        m.set("embedding_shape", json.valueToTree(shape));
        if (textEncoder != null) {
            m.put("text_encoder", textEncoder);
        }
        Files.createDirectories(dir);
        json.writeValue(dir.resolve(Manifests.FILE).toFile(), m);
        Manifests.read(dir); // the registry must accept it
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void stop() {
        if (storage != null) {
            storage.close();
        }
    }
}
