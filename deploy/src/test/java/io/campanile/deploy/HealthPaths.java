package io.campanile.deploy;

import java.util.Properties;

/**
 * Where a service's SmallRye Health endpoints are, computed the way Quarkus does from the (possibly overridden)
 * {@code quarkus.http.*}, {@code quarkus.management.*} and {@code quarkus.smallrye-health.*} settings.
 *
 * @param port the port the probes must use (the HTTP port, or the management port when that interface is on)
 */
record HealthPaths(int port, String live, String ready, String started) {

    static HealthPaths of(Properties p, int httpPort) {
        boolean management = Boolean.parseBoolean(p.getProperty("quarkus.management.enabled", "false"));
        String nonApplicationRoot;
        int port;
        if (management) {
            port = Integer.parseInt(p.getProperty("quarkus.management.port", "9000"));
            nonApplicationRoot = resolve("/", p.getProperty("quarkus.management.root-path", "q"));
        } else {
            port = httpPort;
            String root = resolve("/", p.getProperty("quarkus.http.root-path", "/"));
            nonApplicationRoot = resolve(root, p.getProperty("quarkus.http.non-application-root-path", "q"));
        }
        String health = resolve(nonApplicationRoot, p.getProperty("quarkus.smallrye-health.root-path", "health"));
        return new HealthPaths(
                port,
                resolve(health, p.getProperty("quarkus.smallrye-health.liveness-path", "live")),
                resolve(health, p.getProperty("quarkus.smallrye-health.readiness-path", "ready")),
                resolve(health, p.getProperty("quarkus.smallrye-health.startup-path", "started")));
    }

    /** An absolute path stays; a relative one is appended to the base. */
    private static String resolve(String base, String path) {
        String joined = path.startsWith("/") ? path : base + "/" + path;
        String normalized = joined.replaceAll("/+", "/");
        return normalized.length() > 1 && normalized.endsWith("/")
                ? normalized.substring(0, normalized.length() - 1)
                : normalized;
    }
}
