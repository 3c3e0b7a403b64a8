package io.campanile.platform;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for background work in the worker's own terms. */
final class Futures {
    private Futures() {}

    /** The future's value; a failure is rethrown as the work threw it when that was a runtime exception. */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
