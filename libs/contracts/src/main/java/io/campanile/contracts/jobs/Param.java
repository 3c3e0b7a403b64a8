package io.campanile.contracts.jobs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents and bounds one field of a job request record. The field's JSON name is the component's name in
 * snake_case; its kind follows from the component's type ({@link JobRequests#fields}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Param {
    /** One line for the API docs and the OpenAPI schema. */
    String doc();

    /** The default as JSON ({@code "5"}, {@code "[250, 500, 750]"}, {@code "\"smart50\""}); empty for none. */
    String dflt() default "";

    /** Whether a request must carry the field (a required field has no default). */
    boolean required() default false;

    /** Lower bound, inclusive, of a number and of every list element; NaN for none. */
    double min() default Double.NaN;

    /** Upper bound, inclusive; NaN for none. */
    double max() default Double.NaN;

    /** Whether an integer must be odd (kernel sizes). */
    boolean odd() default false;

    /** Whether a string (or list of strings) is a prompt: T5 text, or a class label for class-conditioned models. */
    boolean prompt() default false;
}
