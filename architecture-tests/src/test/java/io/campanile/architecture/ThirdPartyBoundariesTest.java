package io.campanile.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

/** Each heavy or infrastructural library is used from one place, so that replacing or upgrading it stays local. */
class ThirdPartyBoundariesTest {
    @Test
    void onlyTheOnnxLibraryUsesOnnxRuntime() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.campanile.onnx..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("ai.onnxruntime..")
                .because("ONNX Runtime (sessions, tensors, its native environment) is wrapped by libs/onnx")
                .check(MainClasses.CLASSES);
    }

    @Test
    void onlyTheTrainerUsesDl4j() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.campanile.trainer..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.nd4j..", "org.deeplearning4j..")
                .because("ND4J and DL4J are the trainer's training stack; inference everywhere else is ONNX Runtime")
                .check(MainClasses.CLASSES);
    }

    @Test
    void onlyMessagingAndThePlatformUseKafka() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "io.campanile.platform..",
                        "io.campanile.*.messaging..",
                        "io.campanile.testkit..",
                        "io.campanile.chaos..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.kafka..")
                .because("the Kafka client is used by the platform library and by each service's messaging package;"
                        + " the test kit (embedded broker) and the chaos suite (its invariants read the topics) are"
                        + " test tooling")
                .check(MainClasses.CLASSES);
    }

    @Test
    void onlyPersistencePackagesUseJpa() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.campanile.*.persistence..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "jakarta.persistence..", "org.hibernate..", "io.quarkus.hibernate..", "io.quarkus.panache..")
                .because("JPA, Hibernate and Panache stay behind the persistence packages of gateway and storage")
                .check(MainClasses.CLASSES);
    }
}
