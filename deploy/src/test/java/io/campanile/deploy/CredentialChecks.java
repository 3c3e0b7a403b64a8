package io.campanile.deploy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Service credentials and passwords in the deploy files and the services' properties (docs/adr/0017): storage alone
 * gets the service secret, every other service only its own token, Kafka and PostgreSQL are reachable by the services
 * only, and no password, secret or token has a value in a production profile.
 */
final class CredentialChecks {
    static final String TOKEN_KEY = "campanile.service.token";
    static final String SECRET_KEY = "campanile.storage.service-secret";
    static final String SERVICES_SECRET = "campanile-services";
    /** A key whose last part names a credential: {@code ...password}, {@code ...service-secret}, {@code ...token}. */
    private static final Pattern SECRET_LIKE = Pattern.compile("(?i).*(\\.|-)(password|secret|token)");

    private static final Pattern DEV_OR_TEST = Pattern.compile("^%(dev|test)\\.");

    private final Codebase code;

    CredentialChecks(Codebase code) {
        this.code = code;
    }

    /** Storage reads the secret and every other service the token, or this test no longer checks anything. */
    List<String> theCodeReadsTheCredentials() {
        Problems p = new Problems();
        for (String name : Topology.SERVICES) {
            boolean storage = name.equals("storage");
            p.check(
                    code.service(name).keys().contains(storage ? SECRET_KEY : TOKEN_KEY),
                    name + " does not read " + (storage ? SECRET_KEY : TOKEN_KEY));
            p.check(
                    !code.service(name).keys().contains(storage ? TOKEN_KEY : SECRET_KEY),
                    name + " reads " + (storage ? TOKEN_KEY : SECRET_KEY));
        }
        return p.list();
    }

    /** Compose: a required variable each, the secret for storage only, a token variable per service. */
    List<String> composeGivesEachServiceOnlyItsOwnCredential(Compose compose) {
        Problems p = new Problems();
        Map<String, String> variables = new TreeMap<>();
        for (String name : Topology.SERVICES) {
            Map<String, String> env = compose.environment(name);
            String wanted = KeyRules.env(name.equals("storage") ? SECRET_KEY : TOKEN_KEY);
            String other = KeyRules.env(name.equals("storage") ? TOKEN_KEY : SECRET_KEY);
            p.check(env.containsKey(wanted), ComposeChecks.FILE + ": " + name + " is not given " + wanted);
            p.check(!env.containsKey(other), ComposeChecks.FILE + ": " + name + " is given " + other);
            Matcher v = Compose.VARIABLE.matcher(env.getOrDefault(wanted, ""));
            if (v.find()) {
                String before = variables.put(v.group(1), name);
                p.check(before == null, ComposeChecks.FILE + ": " + name + " and " + before + " share " + v.group(1));
            }
        }
        return p.list();
    }

    /** Compose: Kafka and PostgreSQL only on internal networks, which every service that needs them joins. */
    List<String> composeKeepsKafkaAndPostgresOnAnInternalNetwork(Compose compose) {
        Problems p = new Problems();
        Map<String, Object> networks = Yamls.map(compose.doc.get("networks"));
        for (String infra : List.of("kafka", "postgres")) {
            Set<String> joined = networks(compose, infra);
            p.check(!compose.service(infra).containsKey("ports"), ComposeChecks.FILE + ": " + infra + " publishes");
            p.check(
                    !joined.isEmpty()
                            && joined.stream()
                                    .allMatch(n -> Boolean.TRUE.equals(Yamls.at(networks.get(n), "internal"))),
                    ComposeChecks.FILE + ": " + infra + " must be on internal networks only, is on " + joined);
            for (String name : Topology.SERVICES) {
                Service s = code.service(name);
                boolean needs =
                        infra.equals("kafka") ? s.keys().contains("campanile.kafka.bootstrap-servers") : s.datasource();
                Set<String> shared = new TreeSet<>(networks(compose, name));
                shared.retainAll(joined);
                p.check(
                        !needs || !shared.isEmpty(),
                        ComposeChecks.FILE + ": " + name + " needs " + infra + " but shares no network with it");
            }
        }
        return p.list();
    }

    private static Set<String> networks(Compose compose, String service) {
        Object n = compose.service(service).get("networks");
        Set<String> out = new TreeSet<>();
        if (n instanceof Map<?, ?> m) {
            m.keySet().forEach(k -> out.add(String.valueOf(k)));
        } else if (n == null) {
            out.add("default");
        } else {
            Yamls.list(n).forEach(k -> out.add(String.valueOf(k)));
        }
        return out;
    }

    /** Kubernetes: storage reads {@code service-secret}, each service its own {@code <service>-token}, no one more. */
    List<String> kubernetesGivesEachServiceOnlyItsOwnCredential(Manifests m) {
        Problems p = new Problems();
        for (Map<String, Object> w : m.workloads()) {
            String name = Manifests.nameOf(w);
            Set<String> keys = new TreeSet<>();
            m.environment(Manifests.container(w, name)).forEach((env, value) -> {
                if (value != null && value.startsWith("secret:" + SERVICES_SECRET + "/")) {
                    keys.add(env + "=" + value.substring(value.lastIndexOf('/') + 1));
                }
            });
            Set<String> expected = !code.services.containsKey(name)
                    ? Set.of()
                    : name.equals("storage")
                            ? Set.of(KeyRules.env(SECRET_KEY) + "=service-secret")
                            : Set.of(KeyRules.env(TOKEN_KEY) + "=" + name + "-token");
            p.check(
                    keys.equals(expected),
                    m.label + " " + name + " reads " + keys + " of Secret " + SERVICES_SECRET + ", expected "
                            + expected);
        }
        return p.list();
    }

    /** No password, secret or token has a value in a service's production profile (only in %dev and %test). */
    List<String> noCredentialShipsInAProductionProfile() {
        Problems p = new Problems();
        for (String name : Topology.SERVICES) {
            for (String key : code.service(name).properties().stringPropertyNames()) {
                p.check(
                        !SECRET_LIKE.matcher(key).matches()
                                || DEV_OR_TEST.matcher(key).find(),
                        name + "/" + Codebase.PROPERTIES + " sets " + key + " outside the dev and test profiles");
            }
        }
        return p.list();
    }

    /** The dev and test tokens of the services are derived from storage's dev and test secret, so they work. */
    List<String> devAndTestTokensMatchStoragesSecret() {
        Problems p = new Problems();
        for (String profile : List.of("%dev.", "%test.")) {
            String secret = code.service("storage").properties().getProperty(profile + SECRET_KEY);
            p.check(secret != null, "storage has no " + profile + SECRET_KEY);
            for (String name : Topology.SERVICES) {
                String token = code.service(name).properties().getProperty(profile + TOKEN_KEY);
                if (name.equals("storage") || secret == null) {
                    continue;
                }
                p.check(
                        token != null && token.equals(token(secret, name)),
                        name + "'s " + profile + TOKEN_KEY + " is not derived from storage's " + profile + SECRET_KEY);
            }
        }
        return p.list();
    }

    /** {@code <service>.<base64url(HMAC-SHA256(secret, service))>}, written again here, apart from contracts. */
    static String token(String secret, String service) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sum = mac.doFinal(service.getBytes(StandardCharsets.UTF_8));
            return service + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sum);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The services whose tokens create-secrets.sh puts in {@link #SERVICES_SECRET}. */
    static List<String> tokensCreated(String createSecrets) {
        List<String> out = new ArrayList<>();
        KubernetesChecks.secrets(createSecrets).getOrDefault(SERVICES_SECRET, Set.of()).stream()
                .filter(k -> k.endsWith("-token"))
                .forEach(k -> out.add(k.substring(0, k.length() - "-token".length())));
        return out;
    }
}
