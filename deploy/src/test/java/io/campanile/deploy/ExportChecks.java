package io.campanile.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/export (the Python exporters of the IF model packs) against the Java side that loads their packs: the
 * manifest schema of libs/packs, the graph contract of libs/onnx, and the file names and shapes of libs/testpacks.
 * The scripts are read as text, so these checks need no Python; the two that run the scripts need {@code python3}.
 */
final class ExportChecks {
    static final Path EXPORT = Path.of("deploy/export");
    static final Path MANIFEST_CHECKS = Path.of("deploy/src/test/python/check_manifests.py");
    static final Path TF32_CHECKS = Path.of("deploy/src/test/python/check_tf32.py");
    private static final Path PACKS_SRC = Path.of("libs/packs/src/main/java/io/campanile/packs");
    private static final Path ONNX_SRC = Path.of("libs/onnx/src/main/java/io/campanile/onnx/inference");
    private static final Path TESTPACKS_SRC = Path.of("libs/testpacks/src/main/java/io/campanile/testpacks");
    private static final Pattern TENSOR_SPEC = Pattern.compile("TensorSpec\\(\"(\\w+)\",\\s*\"(\\w+)\"");
    private static final Pattern JAVA_SPEC = Pattern.compile("new Spec\\(\\s*(\\w+),\\s*OnnxJavaType\\.(\\w+)");
    private static final Pattern DOC_SHAPE = Pattern.compile("\\(B,(\\d+),(\\d+)\\)");
    private static final Pattern PY_DATA_FILE = Pattern.compile("location=\\s*file_name\\s*\\+\\s*\"([^\"]+)\"");
    private static final Pattern JAVA_DATA_FILE = Pattern.compile("UNET_FILE\\s*\\+\\s*\"([^\"]+)\"");
    private static final Map<String, String> DTYPES = Map.of("FLOAT", "float32", "INT64", "int64");

    private final Path root;

    ExportChecks(Path root) {
        this.root = root;
    }

    private String read(Path file) {
        return Repo.read(root.resolve(file));
    }

    private String script(String name) {
        return read(EXPORT.resolve(name));
    }

    /**
     * packs.py's manifest fields (required and optional, over both kinds) are exactly the JSON names of
     * {@code PackManifest}'s components, its scheduler fields those of {@code SchedulerConfig}, and its kinds the
     * manifest's kinds. A field the Java side has and Python lacks makes the exporters reject (or never write) it.
     */
    List<String> manifestFieldsAreThePackManifestComponents() {
        Problems p = new Problems();
        String packs = script("packs.py");
        String manifest = read(PACKS_SRC.resolve("PackManifest.java"));
        Map<String, Set<String>> required = PythonText.dictOfStringSets(packs, "MANIFEST_FIELDS");
        Map<String, Set<String>> optional = PythonText.dictOfStringSets(packs, "OPTIONAL_FIELDS");
        Set<String> kinds = Set.copyOf(JavaText.enumStrings(manifest, "Kind").values());
        p.check(
                required.keySet().equals(kinds) && optional.keySet().equals(kinds),
                EXPORT + "/packs.py: the kinds of "
                        + "MANIFEST_FIELDS " + required.keySet() + " and OPTIONAL_FIELDS " + optional.keySet()
                        + " must be PackManifest's " + kinds);
        Set<String> python = new TreeSet<>();
        required.values().forEach(python::addAll);
        optional.values().forEach(python::addAll);
        compare(
                p,
                "manifest",
                python,
                new TreeSet<>(JavaText.recordJsonNames(manifest, "PackManifest").values()));
        for (String kind : required.keySet()) {
            Set<String> both = new TreeSet<>(required.get(kind));
            both.retainAll(optional.getOrDefault(kind, Set.of()));
            p.check(both.isEmpty(), EXPORT + "/packs.py: " + kind + " fields " + both + " are required and optional");
        }
        Set<String> scheduler = new TreeSet<>(PythonText.stringSet(packs, "SCHEDULER_FIELDS"));
        scheduler.addAll(PythonText.stringSet(packs, "THRESHOLDING_FIELDS"));
        scheduler.addAll(PythonText.stringSet(packs, "OPTIONAL_SCHEDULER_FIELDS"));
        compare(
                p,
                "scheduler",
                scheduler,
                new TreeSet<>(
                        JavaText.recordJsonNames(manifest, "SchedulerConfig").values()));
        p.check(
                PythonText.stringSet(packs, "CONDITIONING")
                        .equals(Set.copyOf(
                                JavaText.enumStrings(manifest, "Conditioning").values())),
                EXPORT + "/packs.py: CONDITIONING differs from PackManifest's Conditioning T5, CLASS, NONE");
        p.check(
                PythonText.stringSet(packs, "OUTPUTS")
                        .equals(Set.copyOf(
                                JavaText.enumStrings(manifest, "Output").values())),
                EXPORT + "/packs.py: OUTPUTS differs from PackManifest's Output EPSILON, EPSILON_VARIANCE");
        return p.list();
    }

    private static void compare(Problems p, String what, Set<String> python, Set<String> java) {
        Set<String> onlyJava = new TreeSet<>(java);
        onlyJava.removeAll(python);
        Set<String> onlyPython = new TreeSet<>(python);
        onlyPython.removeAll(java);
        p.check(
                onlyJava.isEmpty(),
                EXPORT + "/packs.py lacks the " + what + " fields " + onlyJava
                        + " of libs/packs PackManifest: the exporters' schema check rejects them");
        p.check(
                onlyPython.isEmpty(),
                EXPORT + "/packs.py has " + what + " fields " + onlyPython
                        + " that libs/packs PackManifest does not know: the workers would refuse the manifest");
    }

    /**
     * The graphs' inputs and outputs the exporters declare (TensorSpec name and element type) are the ones libs/onnx
     * feeds and reads ({@code UnetSignature}, {@code TextEncoderModel}); check_pack.py knows every one of them. The
     * optional {@code sample_index} of shared-encoder graphs (the trainer's class-conditioned packs) is not the
     * exporters' concern.
     */
    List<String> tensorNamesAndTypesAreTheWorkersContract() {
        Problems p = new Problems();
        Map<String, String> unet = javaSpecs("UnetSignature.java");
        Map<String, String> names = JavaText.constants(read(ONNX_SRC.resolve("UnetSignature.java")));
        javaSpecs("UnetModel.java").forEach((name, type) -> unet.put(names.getOrDefault(name, name), type)); // out
        unet.remove(names.get("SAMPLE_INDEX"));
        Map<String, String> encoder = javaSpecs("TextEncoderModel.java");
        Map<String, String> exportUnet = pythonSpecs("export_unet.py");
        Map<String, String> exportEncoder = pythonSpecs("export_text_encoder.py");
        Map<String, String> unetWithoutClassVector = new LinkedHashMap<>(unet);
        unetWithoutClassVector.remove(
                JavaText.constants(read(ONNX_SRC.resolve("UnetSignature.java"))).get("CLASS_VECTOR"));
        p.check(
                exportUnet.equals(unetWithoutClassVector),
                EXPORT + "/export_unet.py declares " + exportUnet + ", libs/onnx UnetSignature feeds and reads "
                        + unetWithoutClassVector + " for a t5 UNet");
        p.check(
                exportEncoder.equals(encoder),
                EXPORT + "/export_text_encoder.py declares " + exportEncoder
                        + ", libs/onnx TextEncoderModel feeds and reads " + encoder);
        Map<String, String> all = new LinkedHashMap<>(unet);
        all.putAll(encoder);
        Map<String, String> checkPack = pythonSpecs("check_pack.py");
        p.check(checkPack.equals(all), EXPORT + "/check_pack.py checks " + checkPack + ", libs/onnx uses " + all);
        return p.list();
    }

    /** Input or output name to element type ("float32", "int64") as libs/onnx declares its Specs. */
    private Map<String, String> javaSpecs(String file) {
        String src = read(ONNX_SRC.resolve(file));
        Map<String, String> constants = JavaText.constants(src);
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = JAVA_SPEC.matcher(JavaText.withoutComments(src));
        while (m.find()) {
            out.put(constants.getOrDefault(m.group(1), m.group(1)), DTYPES.getOrDefault(m.group(2), m.group(2)));
        }
        return out;
    }

    private Map<String, String> pythonSpecs(String file) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = TENSOR_SPEC.matcher(script(file));
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    /**
     * File names (graphs, external data, tokenizer, manifest), the T5 states' shape [B, 77, 4096] and the default pack
     * ids agree with libs/packs, libs/testpacks and the packs the repository ships.
     */
    List<String> fileNamesShapesAndPackIdsAgreeWithTheJavaSide() {
        Problems p = new Problems();
        String packs = script("packs.py");
        String unet = script("export_unet.py");
        String encoder = script("export_text_encoder.py");
        Map<String, String> testPacks = JavaText.constants(read(TESTPACKS_SRC.resolve("TestPacks.java")));
        Map<String, String> functions = JavaText.constants(read(TESTPACKS_SRC.resolve("TestFunctions.java")));
        Map<String, String> manifests = JavaText.constants(read(PACKS_SRC.resolve("Manifests.java")));

        expect(
                p,
                "packs.py MANIFEST_FILE",
                PythonText.string(packs, "MANIFEST_FILE"),
                "Manifests.FILE",
                manifests.get("FILE"));
        expect(
                p,
                "export_unet.py ONNX_FILE",
                PythonText.string(unet, "ONNX_FILE"),
                "TestPacks.UNET_FILE",
                testPacks.get("UNET_FILE"));
        expect(
                p,
                "export_text_encoder.py ONNX_FILE",
                PythonText.string(encoder, "ONNX_FILE"),
                "TestPacks.TEXT_ENCODER_FILE",
                testPacks.get("TEXT_ENCODER_FILE"));
        expect(
                p,
                "export_text_encoder.py TOKENIZER_FILE",
                PythonText.string(encoder, "TOKENIZER_FILE"),
                "TestPacks.TOKENIZER_FILE",
                testPacks.get("TOKENIZER_FILE"));
        Matcher py = PY_DATA_FILE.matcher(packs);
        Matcher java = JAVA_DATA_FILE.matcher(read(TESTPACKS_SRC.resolve("TestPacks.java")));
        expect(
                p,
                "packs.py's external-data suffix",
                py.find() ? py.group(1) : null,
                "TestPacks' external-data suffix",
                java.find() ? java.group(1) : null);
        expect(
                p,
                "packs.py T5_TOKENS",
                String.valueOf(PythonText.integer(packs, "T5_TOKENS")),
                "TestFunctions.T5_TOKENS",
                functions.get("T5_TOKENS"));
        expect(
                p,
                "packs.py T5_WIDTH",
                String.valueOf(PythonText.integer(packs, "T5_WIDTH")),
                "TestFunctions.T5_WIDTH",
                functions.get("T5_WIDTH"));
        String t5Shape = "(B," + functions.get("T5_TOKENS") + "," + functions.get("T5_WIDTH") + ")";
        for (String name : List.of("export_unet.py", "export_text_encoder.py")) {
            Matcher d = DOC_SHAPE.matcher(script(name));
            while (d.find()) {
                p.check(
                        d.group().equals(t5Shape) || !d.group(1).equals(functions.get("T5_TOKENS")),
                        EXPORT + "/" + name + " documents T5 states as " + d.group() + ", the workers use " + t5Shape);
            }
            p.check(
                    script(name).contains("TOKENS = packs.T5_TOKENS"),
                    EXPORT + "/" + name + " must take its token count from packs.T5_TOKENS");
        }

        String t5Pack = PythonText.string(packs, "T5_PACK_ID");
        List<Object> t5Dims =
                List.of(Integer.parseInt(functions.get("T5_TOKENS")), Integer.parseInt(functions.get("T5_WIDTH")));
        Map<String, Object> t5 = shippedManifest(p, t5Pack);
        if (t5 != null) {
            expect(
                    p,
                    "packs/" + t5Pack + " onnx",
                    t5.get("onnx"),
                    "TestPacks.TEXT_ENCODER_FILE",
                    testPacks.get("TEXT_ENCODER_FILE"));
            expect(
                    p,
                    "packs/" + t5Pack + " tokenizer",
                    t5.get("tokenizer"),
                    "TestPacks.TOKENIZER_FILE",
                    testPacks.get("TOKENIZER_FILE"));
            expect(
                    p,
                    "packs/" + t5Pack + " embedding_shape",
                    t5.get("embedding_shape"),
                    "[T5_TOKENS, T5_WIDTH]",
                    t5Dims);
        }
        Matcher model = Pattern.compile("model=\"[^\"]*/([^\"/]+)\"").matcher(PythonText.assignment(unet, "STAGES"));
        int stages = 0;
        while (model.find()) {
            stages++;
            Map<String, Object> m = shippedManifest(p, model.group(1));
            if (m != null) {
                expect(
                        p,
                        "packs/" + model.group(1) + " onnx",
                        m.get("onnx"),
                        "TestPacks.UNET_FILE",
                        testPacks.get("UNET_FILE"));
                expect(
                        p,
                        "packs/" + model.group(1) + " embedding_shape",
                        m.get("embedding_shape"),
                        "[T5_TOKENS, T5_WIDTH]",
                        t5Dims);
                expect(
                        p,
                        "packs/" + model.group(1) + " text_encoder",
                        m.get("text_encoder"),
                        "packs.py T5_PACK_ID",
                        t5Pack);
            }
        }
        p.check(stages == 2, EXPORT + "/export_unet.py STAGES names " + stages + " default models, expected 2");
        return p.list();
    }

    private Map<String, Object> shippedManifest(Problems p, String packId) {
        Path file = root.resolve("packs").resolve(packId).resolve("manifest.json");
        p.check(
                Files.isRegularFile(file),
                "packs/" + packId + "/manifest.json, a default pack of " + EXPORT + ", does not exist");
        return Files.isRegularFile(file) ? new Yaml().load(Repo.read(file)) : null;
    }

    private static void expect(Problems p, String what, Object actual, String javaWhat, Object java) {
        p.check(
                java != null && java.equals(actual),
                EXPORT + ": " + what + " is " + actual + ", " + javaWhat + " is " + java);
    }

    /**
     * Each exporter turns TF32 off before its PyTorch reference ({@code packs.disable_tf32()}): with TF32 on, as
     * cuDNN is by default on A100/H100, the reference moves by more than the parity bound.
     */
    List<String> exportersComputeTheirReferenceWithoutTf32() {
        Problems p = new Problems();
        for (String name : List.of("export_unet.py", "export_text_encoder.py")) {
            String src = script(name);
            int export = src.indexOf("def export_pack(");
            int off = export < 0 ? -1 : src.indexOf("packs.disable_tf32()", export);
            int reference = export < 0 ? -1 : src.indexOf("\"PyTorch reference\"", export);
            p.check(
                    off >= 0 && reference >= 0 && off < reference,
                    EXPORT + "/" + name
                            + ": export_pack must call packs.disable_tf32() before it computes the PyTorch reference");
        }
        return p.list();
    }

    /** Runs check_tf32.py (needs python3): disable_tf32 turns off both switches, parity opens CUDA with use_tf32=0. */
    List<String> parityRunsOnnxRuntimeAndPyTorchWithoutTf32() {
        Python.Result r = Python.run(
                root, root.resolve(EXPORT), List.of(root.resolve(TF32_CHECKS).toString()));
        return r.exitCode() == 0
                ? List.of()
                : List.of(TF32_CHECKS + " failed (exit " + r.exitCode() + "):\n" + r.output());
    }

    /** Runs check_manifests.py (needs python3): the shipped manifests pass the schema and are what the exporters write. */
    List<String> shippedManifestsPassTheSchemaAndAreWhatTheExportersWrite() {
        Python.Result r = Python.run(
                root,
                root.resolve(EXPORT),
                List.of(root.resolve(MANIFEST_CHECKS).toString(), root.toString()));
        return r.exitCode() == 0
                ? List.of()
                : List.of(MANIFEST_CHECKS + " failed (exit " + r.exitCode() + "):\n" + r.output());
    }

    /** {@code python3 -m py_compile} semantics for every deploy/export/*.py, bytecode written to a scratch folder. */
    List<String> scriptsCompile() {
        List<String> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve(EXPORT))) {
            files.filter(f -> f.getFileName().toString().endsWith(".py"))
                    .sorted()
                    .forEach(f -> scripts.add(f.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (scripts.isEmpty()) {
            return List.of("no scripts in " + EXPORT);
        }
        String program = String.join(
                "\n",
                "import py_compile, sys, tempfile, os",
                "failed = 0",
                "with tempfile.TemporaryDirectory() as tmp:",
                "    for i, f in enumerate(sys.argv[1:]):",
                "        try:",
                "            py_compile.compile(f, cfile=os.path.join(tmp, f'{i}.pyc'), doraise=True)",
                "        except py_compile.PyCompileError as e:",
                "            failed += 1",
                "            print(e.msg)",
                "sys.exit(1 if failed else 0)");
        List<String> args = new ArrayList<>(List.of("-c", program));
        args.addAll(scripts);
        Python.Result r = Python.run(root, root.resolve(EXPORT), args);
        return r.exitCode() == 0 ? List.of() : List.of("deploy/export does not compile:\n" + r.output());
    }
}
