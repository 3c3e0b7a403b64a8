package io.campanile.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

/**
 * Libraries know no service, inside gateway and storage the layers go one way: api, then service, then persistence and
 * messaging, and the job CLI knows the system only by its HTTP API.
 */
class LayersTest {
    @Test
    void librariesDoNotUseServices() {
        noClasses()
                .that()
                .resideInAnyPackage(MainClasses.LIBRARIES)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(MainClasses.SERVICES)
                .because("libraries are shared by the services and must not know any of them")
                .check(MainClasses.CLASSES);
    }

    @Test
    void theJobCliTalksToTheGatewayOverHttpOnly() {
        classes()
                .that()
                .resideInAPackage("io.campanile.cli..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "io.campanile.cli..",
                        "io.campanile.contracts",
                        "java..",
                        "picocli..",
                        "com.fasterxml.jackson..")
                .because("the CLI works against any gateway, local or remote, through the public API; of the"
                        + " project it uses only the one JSON mapping (contracts.Json)")
                .check(MainClasses.CLASSES);
    }

    @Test
    void serviceLayerDoesNotUseApi() {
        noClasses()
                .that()
                .resideInAnyPackage("io.campanile.gateway.service..", "io.campanile.storage.service..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.campanile.gateway.api..", "io.campanile.storage.api..")
                .because("the service layer is called by the API, never the other way round")
                .check(MainClasses.CLASSES);
    }

    @Test
    void persistenceLayerUsesNeitherServiceNorApi() {
        noClasses()
                .that()
                .resideInAnyPackage("io.campanile.gateway.persistence..", "io.campanile.storage.persistence..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.campanile.gateway.service..",
                        "io.campanile.gateway.api..",
                        "io.campanile.storage.service..",
                        "io.campanile.storage.api..")
                .because("persistence is the bottom layer: entities and repositories know nothing above them")
                .check(MainClasses.CLASSES);
    }

    @Test
    void messagingLayerDoesNotUseApi() {
        noClasses()
                .that()
                .resideInAnyPackage("io.campanile.gateway.messaging..", "io.campanile.storage.messaging..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.campanile.gateway.api..", "io.campanile.storage.api..")
                .because("messaging sits below the service layer, beside persistence; HTTP types stay in the API")
                .check(MainClasses.CLASSES);
    }
}
