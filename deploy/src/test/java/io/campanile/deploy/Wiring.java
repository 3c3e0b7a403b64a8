package io.campanile.deploy;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks shared by the compose file and the Kubernetes manifests: the settings a service is given, against its code
 * and against the addresses of the services and databases it must reach.
 */
final class Wiring {
    static final Path POSTGRES_INIT = Path.of("deploy/k8s/base/postgres/10-campanile-roles.sh");
    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)(?:\\?(.*))?");
    private static final Pattern ROLE = Pattern.compile("CREATE ROLE (\\w+)");
    private static final Pattern SCHEMA = Pattern.compile("CREATE SCHEMA IF NOT EXISTS (\\w+) AUTHORIZATION (\\w+)");

    private Wiring() {}

    /** Every variable must be a key the service reads, and the settings whose defaults point at localhost are set. */
    static List<String> keys(String where, Service service, Map<String, String> env) {
        Collection<String> envNames = env.keySet();
        List<String> problems = new ArrayList<>();
        for (String name : envNames) {
            KeyRules.check(service, name).ifPresent(p -> problems.add(where + ": " + p));
        }
        for (String key : Topology.MUST_BE_SET) {
            if (service.readsOrWillRead(key) && !envNames.contains(KeyRules.env(key))) {
                problems.add(where + ": " + service.name() + " reads " + key + " but " + KeyRules.env(key)
                        + " is not set (its default points at localhost)");
            }
        }
        if (service.datasource()) {
            for (String key : Topology.DATASOURCE_KEYS) {
                problems.add(
                        envNames.contains(KeyRules.env(key))
                                ? null
                                : where + ": " + service.name() + " has a datasource but " + KeyRules.env(key)
                                        + " is not set");
            }
        }
        String instanceId = env.get(KeyRules.env(Topology.INSTANCE_ID_KEY));
        if (instanceId != null && !instanceId.equals("fieldRef:metadata.name")) {
            problems.add(where + ": " + service.name() + " sets " + KeyRules.env(Topology.INSTANCE_ID_KEY)
                    + " to one value: every replica would share it (and its static group membership); take the pod's"
                    + " name (valueFrom.fieldRef metadata.name) or leave the default (the host name)");
        }
        problems.removeIf(p -> p == null);
        return problems;
    }

    /** The value a service gets for a key: the environment's, else application.properties', else the code default. */
    static Optional<String> valueOf(Service service, Map<String, String> env, String key) {
        String v = env.get(KeyRules.env(key));
        if (v == null) {
            v = Codebase.prodValue(service.properties(), key);
        }
        return v != null ? Optional.of(v) : service.keys().defaultOf(key);
    }

    /** The storage URL must name the storage service and its HTTP port. */
    static List<String> storageUrl(
            String where, Service client, Map<String, String> env, String host, Service storage) {
        String url = env.get(KeyRules.env("campanile.storage.url"));
        if (url == null) {
            return List.of();
        }
        URI uri = URI.create(url);
        if (host.equals(uri.getHost()) && uri.getPort() == storage.httpPort()) {
            return List.of();
        }
        return List.of(where + ": " + client.name() + " has campanile.storage.url=" + url + " but storage listens on "
                + host + ":" + storage.httpPort());
    }

    /** A JDBC URL must point at the database service, a schema owned by the user it logs in as, its Flyway schema. */
    static List<String> datasource(
            String where,
            Service service,
            Map<String, String> env,
            String dbHost,
            int dbPort,
            String database,
            Path root) {
        List<String> problems = new ArrayList<>();
        String url = env.get(KeyRules.env("quarkus.datasource.jdbc.url"));
        String user = env.get(KeyRules.env("quarkus.datasource.username"));
        if (url == null) {
            return problems;
        }
        Matcher m = JDBC.matcher(url);
        if (!m.matches()) {
            return List.of(where + ": " + service.name() + " has an unreadable JDBC URL " + url);
        }
        int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        problems.add(
                dbHost.equals(m.group(1)) && port == dbPort
                        ? null
                        : where + ": " + service.name() + " connects to " + m.group(1) + ":" + port + ", not " + dbHost
                                + ":" + dbPort);
        problems.add(
                database.equals(m.group(3))
                        ? null
                        : where + ": " + service.name() + " uses database " + m.group(3) + ", PostgreSQL creates "
                                + database);
        String schema = query(m.group(4)).get("currentSchema");
        if (service.flywaySchema() != null) {
            problems.add(
                    service.flywaySchema().equals(schema)
                            ? null
                            : where + ": " + service.name() + " migrates schema " + service.flywaySchema()
                                    + " but its JDBC URL selects " + schema);
        }
        Map<String, String> owners = schemaOwners(root);
        problems.add(
                user != null && owners.containsKey(schema) && owners.get(schema).equals(user)
                        ? null
                        : where + ": " + service.name() + " logs in as " + user + " to schema " + schema + ", but "
                                + POSTGRES_INIT + " creates " + owners + " (schema=owner)");
        problems.removeIf(p -> p == null);
        return problems;
    }

    /** Schema to owning role, as the PostgreSQL init script creates them (only roles it creates count). */
    static Map<String, String> schemaOwners(Path root) {
        String script = Repo.read(root.resolve(POSTGRES_INIT));
        List<String> roles = new ArrayList<>();
        Matcher r = ROLE.matcher(script);
        while (r.find()) {
            roles.add(r.group(1));
        }
        Map<String, String> owners = new LinkedHashMap<>();
        Matcher s = SCHEMA.matcher(script);
        while (s.find()) {
            if (roles.contains(s.group(2))) {
                owners.put(s.group(1), s.group(2));
            }
        }
        return owners;
    }

    /** Every broker of a bootstrap list must be an advertised listener of the broker. */
    static List<String> bootstrap(String where, Service service, Map<String, String> env, String advertised) {
        String servers = env.get(KeyRules.env("campanile.kafka.bootstrap-servers"));
        if (servers == null) {
            return List.of();
        }
        List<String> listeners = new ArrayList<>();
        for (String l : advertised == null ? new String[0] : advertised.split(",")) {
            listeners.add(l.substring(l.indexOf("://") + 3).strip());
        }
        List<String> problems = new ArrayList<>();
        for (String s : servers.split(",")) {
            if (!listeners.contains(s.strip())) {
                problems.add(where + ": " + service.name() + " bootstraps from " + s.strip()
                        + ", which the broker does not advertise (" + advertised + ")");
            }
        }
        return problems;
    }

    private static Map<String, String> query(String q) {
        Map<String, String> out = new LinkedHashMap<>();
        if (q != null) {
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                out.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return out;
    }
}
