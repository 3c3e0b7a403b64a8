package io.campanile.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keys create|ls|revoke}: API keys, through the gateway's admin endpoint (an admin key is needed). */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Create, list and revoke API keys (needs an admin key).",
        subcommands = {KeysCommand.Create.class, KeysCommand.List.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** Without a subcommand: the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw CliException.usage("a subcommand is needed: create, ls or revoke");
    }

    /** {@code keys create NAME [--tenant T] [--admin]}: prints the new key, which is shown this once. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key; it is printed this once.")
    static final class Create extends GatewayCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "what the key is for, e.g. ci or alice")
        String name;

        @Option(names = "--tenant", paramLabel = "T", description = "the tenant its jobs belong to (default: default)")
        String tenant;

        @Option(names = "--admin", description = "an admin key: sees every tenant, manages keys")
        boolean admin;

        @Override
        public Integer call() {
            var body = Json.mapper().createObjectNode().put("name", name).put("admin", admin);
            if (tenant != null) {
                body.put("tenant", tenant);
            }
            JsonNode k = gateway().post("/v1/admin/keys", body);
            out().println(k.path("key").asText());
            err().println("key " + k.path("id").asText() + " '" + k.path("name").asText() + "' of tenant "
                    + k.path("tenant").asText() + (k.path("admin").asBoolean() ? " (admin)" : "")
                    + ": keep it now, it is not shown again");
            return 0;
        }
    }

    /** {@code keys ls}: every key, without secrets. */
    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the keys (never their secrets).")
    static final class List extends GatewayCommand {
        @Option(names = "--json", description = "the gateway's JSON instead of a table")
        boolean json;

        @Override
        public Integer call() {
            JsonNode keys = gateway().get("/v1/admin/keys");
            if (json) {
                out().println(keys.toPrettyString());
                return 0;
            }
            Table t = new Table("ID", "NAME", "TENANT", "ADMIN", "CREATED", "REVOKED");
            for (JsonNode k : keys) {
                t.row(
                        k.path("id").asText(),
                        k.path("name").asText(),
                        k.path("tenant").asText(),
                        k.path("admin").asBoolean() ? "yes" : "no",
                        k.path("created_at").asText(),
                        k.path("revoked_at").isNull()
                                ? "-"
                                : k.path("revoked_at").asText());
            }
            t.print(out());
            return 0;
        }
    }

    /** {@code keys revoke ID}. */
    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke a key: it stops authenticating within seconds.")
    static final class Revoke extends GatewayCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "the key's id (see 'keys ls')")
        String id;

        @Override
        public Integer call() {
            JsonNode k = gateway().delete("/v1/admin/keys/" + id);
            out().println(k.path("id").asText() + " '" + k.path("name").asText() + "' revoked at "
                    + k.path("revoked_at").asText());
            return 0;
        }
    }
}
