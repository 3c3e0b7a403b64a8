package io.campanile.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import org.junit.jupiter.api.Test;

/** Beans get what they use through their constructor: final fields, no half-built bean, plain tests without CDI. */
class InjectionTest {
    @Test
    void beansUseConstructorInjection() {
        noFields()
                .should()
                .beAnnotatedWith("jakarta.inject.Inject")
                .because("constructor injection: dependencies are final and a bean can be built in a plain test")
                .check(MainClasses.CLASSES);
    }
}
