package io.campanile.trainer.mnist;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST from the four original IDX gzip files in a folder, verifying each file's SHA-256 first.
 *
 * <p>The expected checksums are those of the published {@code .gz} files (PyTorch's ossci mirror list). A folder may
 * carry its own {@code SHA256SUMS} (sha256sum format) instead, as the test fixture subset does; then those are checked.
 * Where a download URL is given and a file is missing, it is fetched from {@code url + name} and checked before use.
 */
public final class MnistFiles {
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    /** The folder's own checksum list, used instead of the published one when present. */
    public static final String SUMS_FILE = "SHA256SUMS";

    /** SHA-256 of the published gzip files. */
    public static final Map<String, String> PUBLISHED_SHA256 = Map.of(
            TRAIN_IMAGES, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            TRAIN_LABELS, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            TEST_IMAGES, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            TEST_LABELS, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6");

    private static final int IMAGES_MAGIC = 2051;
    private static final int LABELS_MAGIC = 2049;

    private final Path dir;
    private final String downloadUrl;

    /**
     * @param dir folder holding the four files
     * @param downloadUrl base URL to fetch missing files from, or null for no download
     */
    public MnistFiles(Path dir, String downloadUrl) {
        this.dir = dir;
        this.downloadUrl = downloadUrl;
    }

    public MnistDataset train() {
        return read(TRAIN_IMAGES, TRAIN_LABELS);
    }

    public MnistDataset test() {
        return read(TEST_IMAGES, TEST_LABELS);
    }

    private MnistDataset read(String imagesFile, String labelsFile) {
        Map<String, String> sums = expectedSums();
        byte[] images = verified(imagesFile, sums);
        byte[] labels = verified(labelsFile, sums);
        return parse(gunzip(images, imagesFile), gunzip(labels, labelsFile), imagesFile);
    }

    private Map<String, String> expectedSums() {
        Path own = dir.resolve(SUMS_FILE);
        if (!Files.exists(own)) {
            return PUBLISHED_SHA256;
        }
        Map<String, String> sums = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(own, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split("\\s+\\*?");
                if (parts.length == 2) {
                    sums.put(parts[1], parts[0].toLowerCase());
                }
            }
        } catch (IOException e) {
            throw new MnistException(own + ": cannot read: " + e.getMessage());
        }
        return sums;
    }

    private byte[] verified(String name, Map<String, String> sums) {
        Path file = dir.resolve(name);
        if (!Files.exists(file) && downloadUrl != null && !downloadUrl.isBlank()) {
            download(name, file);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MnistException("MNIST file " + file + " cannot be read (set campanile.trainer.mnist-dir to the "
                    + "folder with the four IDX gzip files): " + e.getMessage());
        }
        String expected = sums.get(name);
        String actual = sha256(bytes);
        if (expected == null || !expected.equals(actual)) {
            throw new MnistException("MNIST file " + file + " has SHA-256 " + actual + ", expected " + expected);
        }
        return bytes;
    }

    private void download(String name, Path file) {
        String base = downloadUrl.endsWith("/") ? downloadUrl : downloadUrl + "/";
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".part");
            HttpResponse<Path> resp = http.send(
                    HttpRequest.newBuilder(URI.create(base + name))
                            .timeout(Duration.ofMinutes(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofFile(tmp));
            if (resp.statusCode() != 200) {
                Files.deleteIfExists(tmp);
                throw new MnistException("download of " + base + name + " answered " + resp.statusCode());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MnistException("download of " + base + name + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MnistException("download of " + base + name + " interrupted");
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gunzip(byte[] gz, String name) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new MnistException(name + ": not a gzip file: " + e.getMessage());
        }
    }

    /** Parses IDX3 images (unsigned bytes scaled to [0,1]) and IDX1 labels. */
    static MnistDataset parse(byte[] images, byte[] labels, String name) {
        try (DataInputStream im = new DataInputStream(new ByteArrayInputStream(images));
                DataInputStream lb = new DataInputStream(new ByteArrayInputStream(labels))) {
            if (im.readInt() != IMAGES_MAGIC || lb.readInt() != LABELS_MAGIC) {
                throw new MnistException(name + ": not an IDX image/label pair (bad magic)");
            }
            int n = im.readInt();
            int rows = im.readInt();
            int cols = im.readInt();
            int nl = lb.readInt();
            if (rows != MnistDataset.SIZE || cols != MnistDataset.SIZE || n != nl) {
                throw new MnistException(name + ": " + n + " images of " + rows + "x" + cols + ", " + nl + " labels");
            }
            float[] px = new float[n * MnistDataset.PIXELS];
            int offset = 16;
            for (int i = 0; i < px.length; i++) {
                px[i] = (images[offset + i] & 0xff) / 255f;
            }
            byte[] lab = new byte[n];
            System.arraycopy(labels, 8, lab, 0, n);
            return new MnistDataset(px, lab);
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new MnistException(name + ": truncated IDX data");
        } catch (UncheckedIOException e) {
            throw new MnistException(name + ": " + e.getMessage());
        }
    }

    /** MNIST files are missing, corrupt or fail their checksum. */
    public static final class MnistException extends RuntimeException {
        public MnistException(String message) {
            super(message);
        }
    }
}
