package io.campanile.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The services' Dockerfiles: what they copy must be something the Maven build of that service produces (the Quarkus
 * fast-jar) or a file in the repository, inside the build context; ports and users match the code.
 */
final class DockerfileChecks {
    /** What quarkus-maven-plugin's build goal leaves in target/quarkus-app (fast-jar, the default package type). */
    static final Set<String> FAST_JAR = Set.of("lib/", "app/", "quarkus/", "*.jar", "quarkus-run.jar");

    private static final Pattern BUILD_OUTPUT = Pattern.compile("([\\w.-]+)/target/quarkus-app/(.*)");
    private static final Pattern GPU_BASE = Pattern.compile("nvidia/cuda:12\\.\\d+(\\.\\d+)?-cudnn(9)?-runtime-\\S+");

    private final Codebase code;
    private final DockerIgnore ignore;

    DockerfileChecks(Codebase code) {
        this.code = code;
        this.ignore = new DockerIgnore(Repo.read(code.root.resolve(".dockerignore")));
    }

    static Path path(String service, String variant) {
        return Path.of(service, "src/main/docker", "Dockerfile." + variant);
    }

    List<String> everyServiceHasItsImages() {
        Problems p = new Problems();
        for (String name : Topology.SERVICES) {
            p.check(Files.isRegularFile(code.root.resolve(path(name, "jvm"))), "missing " + path(name, "jvm"));
            boolean gpu = Files.isRegularFile(code.root.resolve(path(name, "gpu")));
            p.check(gpu == Topology.ONNX.contains(name), (gpu ? "unexpected " : "missing ") + path(name, "gpu"));
        }
        return p.list();
    }

    /** Checks one Dockerfile of a service. */
    List<String> check(String service, String variant) {
        Path rel = path(service, variant);
        Problems p = new Problems();
        if (!Files.isRegularFile(code.root.resolve(rel))) {
            return p.list();
        }
        Dockerfile d = Dockerfile.read(code.root.resolve(rel));
        Service s = code.service(service);
        for (Dockerfile.Instruction from : d.all("FROM")) {
            String image = from.args().split("\\s+")[0];
            p.check(
                    image.contains("@sha256:") || image.matches(".+:[\\w.-]+") && !image.endsWith(":latest"),
                    rel + ":" + from.line() + " uses " + image + ": pin a tag");
        }
        for (Dockerfile.Copy c : d.copies()) {
            if (!c.fromStage()) {
                c.sources().forEach(src -> source(p, rel, c.line(), service, src));
            }
        }
        String port = String.valueOf(s.httpPort());
        p.check(
                d.all("EXPOSE").stream()
                        .anyMatch(e -> List.of(e.args().split("\\s+")).contains(port)),
                rel + " must EXPOSE " + port);
        List<Dockerfile.Instruction> users = d.all("USER");
        p.check(
                !users.isEmpty() && !users.get(users.size() - 1).args().matches("(root|0)(:.*)?"),
                rel + " must end as a non-root USER");
        p.check(!d.all("ENTRYPOINT").isEmpty() || !d.all("CMD").isEmpty(), rel + " starts nothing");
        String jarType = Codebase.prodValue(s.properties(), "quarkus.package.jar.type");
        p.check(
                jarType == null || jarType.equals("fast-jar"),
                rel + " copies a fast-jar but " + service + " packages " + jarType);
        if (variant.equals("gpu")) {
            gpu(p, rel, d);
        }
        return p.list();
    }

    private void gpu(Problems p, Path rel, Dockerfile d) {
        String base = d.all("FROM").get(d.all("FROM").size() - 1).args().split("\\s+")[0];
        p.check(GPU_BASE.matcher(base).matches(), rel + " must run on a CUDA 12 + cuDNN runtime image, not " + base);
        String runs = String.join(
                "\n", d.all("RUN").stream().map(Dockerfile.Instruction::args).toList());
        p.check(runs.contains("openjdk-17-jre-headless"), rel + " must install a JDK 17 runtime from the distribution");
        String gpuArtifact =
                code.rootPom.profileProperties().getOrDefault("gpu", Map.of()).get("onnxruntime.artifact");
        p.check(
                gpuArtifact != null && runs.contains("com.microsoft.onnxruntime." + gpuArtifact + "-"),
                rel + " must refuse a build whose lib/main lacks com.microsoft.onnxruntime." + gpuArtifact);
    }

    private void source(Problems p, Path rel, int line, String service, String src) {
        String where = rel + ":" + line + " copies " + src;
        p.check(!src.contains("://"), where + ": download nothing at build time");
        p.check(
                !ignore.excludes(src.replaceAll("/+$", "").replace("*", "x")),
                where + ", which .dockerignore leaves out");
        var out = BUILD_OUTPUT.matcher(src);
        if (out.matches()) {
            p.check(out.group(1).equals(service), where + ": another module's build output");
            p.check(FAST_JAR.contains(out.group(2)), where + ": not part of a Quarkus fast-jar " + FAST_JAR);
            Service s = code.service(out.group(1));
            p.check(
                    s != null && s.pom().plugins().contains("quarkus-maven-plugin"),
                    where + ": the module does not build a Quarkus application");
            Path built = code.root.resolve(out.group(1)).resolve("target/quarkus-app");
            if (Files.isDirectory(built)) {
                p.check(matchesSomething(src), where + ": nothing there after the build");
            }
        } else {
            p.check(matchesSomething(src), where + ", which does not exist");
        }
    }

    private boolean matchesSomething(String glob) {
        String g = glob.replaceAll("/+$", "");
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + g);
        Path start = code.root.resolve(g.contains("*") ? g.substring(0, g.lastIndexOf('/') + 1) : g);
        if (!g.contains("*")) {
            return Files.exists(start);
        }
        try (Stream<Path> files = Files.list(start)) {
            return files.anyMatch(f -> matcher.matches(code.root.relativize(f)));
        } catch (IOException e) {
            if (!Files.exists(start)) {
                return false;
            }
            throw new UncheckedIOException(e);
        }
    }

    /** The root pom selects ONNX Runtime's CPU or GPU build by a property the services' poms must use. */
    List<String> gpuProfileSwitchesOnnxRuntime() {
        Problems p = new Problems();
        var props = code.rootPom.properties();
        p.check(
                "onnxruntime".equals(props.get("onnxruntime.artifact")),
                "root pom: onnxruntime.artifact must default to onnxruntime");
        p.check(props.get("onnxruntime.version") != null, "root pom: onnxruntime.version is missing");
        p.check(
                "onnxruntime_gpu"
                        .equals(code.rootPom
                                .profileProperties()
                                .getOrDefault("gpu", Map.of())
                                .get("onnxruntime.artifact")),
                "root pom: profile gpu must set onnxruntime.artifact=onnxruntime_gpu");
        List<String> modules = code.rootPom.modules();
        for (String service : Topology.SERVICES) {
            p.check(
                    modules.indexOf("deploy") > modules.indexOf(service),
                    "root pom: deploy must come after " + service + ", whose build output its tests read");
        }
        for (Service s : code.services.values()) {
            for (Pom.Dependency dep : s.pom().dependencies()) {
                if ("com.microsoft.onnxruntime".equals(dep.groupId())
                        && !dep.isTest() // test scope never ships
                        && !(Topology.ONNX_CPU.contains(s.name()) && "onnxruntime".equals(dep.artifactId()))) {
                    p.check(
                            Topology.ONNX.contains(s.name()),
                            s.name() + " depends on ONNX Runtime but has no GPU image");
                    p.check(
                            "${onnxruntime.artifact}".equals(dep.artifactId()),
                            s.name() + "/pom.xml names " + dep.artifactId()
                                    + ": use ${onnxruntime.artifact} so that -Pgpu switches it");
                }
            }
        }
        return p.list();
    }
}
