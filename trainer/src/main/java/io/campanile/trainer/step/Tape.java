package io.campanile.trainer.step;

import java.util.ArrayList;
import java.util.List;

/**
 * The backward steps of a forward pass, recorded by its layers as they run; {@link #backward} runs them last first.
 * Each reads its output node's gradient and adds to its inputs' ones. Not thread-safe.
 */
final class Tape {
    private final List<Runnable> steps = new ArrayList<>();

    void record(Runnable backward) {
        steps.add(backward);
    }

    /** Runs the recorded steps in reverse order and forgets them. */
    void backward() {
        for (int i = steps.size() - 1; i >= 0; i--) {
            steps.get(i).run();
        }
        steps.clear();
    }

    /** Forgets the recorded steps (a forward pass without backward). */
    void clear() {
        steps.clear();
    }
}
