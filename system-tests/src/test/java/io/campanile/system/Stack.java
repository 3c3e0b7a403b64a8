package io.campanile.system;

import io.campanile.testkit.LocalStack;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One running system per test JVM: storage, gateway, two stage1-worker replicas and the other workers. */
final class Stack {
    private static LocalStack stack;

    private Stack() {}

    /** Closes the stack when the whole test plan is done (before the JVM exits). */
    static final class Extension implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            get();
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent("campanile-stack", k ->
                    (AutoCloseable) () -> stack.close());
        }
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            try {
                Path root = Path.of(System.getProperty("campanile.root", ".."))
                        .toAbsolutePath()
                        .normalize();
                Path data = Files.createTempDirectory("campanile-system-test");
                long t0 = System.nanoTime();
                // The suite's one tenant submits far faster than a person (the abuse suite alone sends 10,000
                // requests), so its quotas are raised; the gateway's own tests check the quotas.
                Map<String, Map<String, String>> gateway = Map.of(
                        "gateway",
                        Map.of(
                                "campanile.gateway.limits.jobs-in-flight", "100000",
                                "campanile.gateway.limits.submissions-per-minute", "100000"));
                stack = new LocalStack(new LocalStack.Options(root, data, false, false, 2, true, Map.of(), gateway))
                        .start();
                System.out.printf(
                        "system under test up in %.1f s, logs in %s%n",
                        (System.nanoTime() - t0) / 1e9, data.resolve("logs"));
            } catch (Exception e) {
                throw new IllegalStateException("could not start the system", e);
            }
            RestAssured.baseURI = stack.gatewayUrl();
            // Every request carries the stack's admin key unless it names another one (ADR 0015).
            String key = stack.apiKey();
            RestAssured.filters((request, response, context) -> {
                if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                    request.header("Authorization", "Bearer " + key);
                }
                return context.next(request, response);
            });
            RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        }
        return stack;
    }
}
