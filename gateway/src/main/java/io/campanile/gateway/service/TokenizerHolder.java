package io.campanile.gateway.service;

import io.campanile.text.T5Tokenizer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The bundled T5 tokenizer, loaded on first use, for the truncation warnings of job submissions. Calls are serialised:
 * the native SentencePiece processor is not documented as thread-safe.
 */
@ApplicationScoped
public class TokenizerHolder {
    private T5Tokenizer tokenizer;

    /** A tokenizer to use under this object's lock (see {@link #get()}). */
    public synchronized T5Tokenizer get() {
        if (tokenizer == null) {
            tokenizer = T5Tokenizer.load();
        }
        return tokenizer;
    }

    @PreDestroy
    synchronized void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
