package io.campanile.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * deploy/export (the Python exporters of the IF model packs) against the Java side that loads their packs: the
 * manifest schema of libs/packs. The scripts are read as text, so that check needs no Python; the one that runs the
 * scripts needs {@code python3}.
 */
final class ExportChecks {
    static final Path EXPORT = Path.of("deploy/export");
    static final Path MANIFEST_CHECKS = Path.of("deploy/src/test/python/check_manifests.py");
    private static final Path PACKS_SRC = Path.of("libs/packs/src/main/java/io/campanile/packs");

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
        Map<String, String> constants = JavaText.constants(manifest);
        Set<String> kinds = Set.of(constants.get("UNET"), constants.get("TEXT_ENCODER"));
        p.check(required.keySet().equals(kinds) && optional.keySet().equals(kinds), EXPORT + "/packs.py: the kinds of "
                + "MANIFEST_FIELDS " + required.keySet() + " and OPTIONAL_FIELDS " + optional.keySet()
                + " must be PackManifest's " + kinds);
        Set<String> python = new TreeSet<>();
        required.values().forEach(python::addAll);
        optional.values().forEach(python::addAll);
        compare(p, "manifest", python, new TreeSet<>(JavaText.recordJsonNames(manifest, "PackManifest").values()));
        for (String kind : required.keySet()) {
            Set<String> both = new TreeSet<>(required.get(kind));
            both.retainAll(optional.getOrDefault(kind, Set.of()));
            p.check(both.isEmpty(), EXPORT + "/packs.py: " + kind + " fields " + both + " are required and optional");
        }
        Set<String> scheduler = new TreeSet<>(PythonText.stringSet(packs, "SCHEDULER_FIELDS"));
        scheduler.addAll(PythonText.stringSet(packs, "THRESHOLDING_FIELDS"));
        scheduler.addAll(PythonText.stringSet(packs, "OPTIONAL_SCHEDULER_FIELDS"));
        compare(p, "scheduler", scheduler,
                new TreeSet<>(JavaText.recordJsonNames(manifest, "SchedulerConfig").values()));
        p.check(PythonText.stringSet(packs, "CONDITIONING").equals(
                        Set.of(constants.get("T5"), constants.get("CLASS"), constants.get("NONE"))),
                EXPORT + "/packs.py: CONDITIONING differs from PackManifest's T5, CLASS, NONE");
        p.check(PythonText.stringSet(packs, "OUTPUTS").equals(
                        Set.of(constants.get("EPSILON"), constants.get("EPSILON_VARIANCE"))),
                EXPORT + "/packs.py: OUTPUTS differs from PackManifest's EPSILON, EPSILON_VARIANCE");
        return p.list();
    }

    private static void compare(Problems p, String what, Set<String> python, Set<String> java) {
        Set<String> onlyJava = new TreeSet<>(java);
        onlyJava.removeAll(python);
        Set<String> onlyPython = new TreeSet<>(python);
        onlyPython.removeAll(java);
        p.check(onlyJava.isEmpty(), EXPORT + "/packs.py lacks the " + what + " fields " + onlyJava
                + " of libs/packs PackManifest: the exporters' schema check rejects them");
        p.check(onlyPython.isEmpty(), EXPORT + "/packs.py has " + what + " fields " + onlyPython
                + " that libs/packs PackManifest does not know: the workers would refuse the manifest");
    }

    /** Runs check_manifests.py (needs python3): the shipped manifests pass the schema and are what the exporters write. */
    List<String> shippedManifestsPassTheSchemaAndAreWhatTheExportersWrite() {
        Python.Result r = Python.run(root, root.resolve(EXPORT),
                List.of(root.resolve(MANIFEST_CHECKS).toString(), root.toString()));
        return r.exitCode() == 0 ? List.of()
                : List.of(MANIFEST_CHECKS + " failed (exit " + r.exitCode() + "):\n" + r.output());
    }
}
