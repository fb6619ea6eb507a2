package dev.tuneforge.worker.handlers;

import dev.tuneforge.worker.engine.training.NonFiniteLossException;
import dev.tuneforge.worker.engine.training.data.DatasetException;
import dev.tuneforge.worker.engine.weights.SafeTensorsException;
import dev.tuneforge.worker.runner.BadInputException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/** Turns the engine's complaints about its input into {@link BadInputException}s with the engine's message. */
final class EngineErrors {
    private EngineErrors() {
    }

    /** Runs {@code work}; a dataset, model, LoRA or settings problem fails the job (not retried) naming {@code what}. */
    static <T> T asBadInput(String what, EngineCall<T> work) throws Exception {
        try {
            return work.run();
        } catch (DatasetException | NonFiniteLossException e) {
            throw new BadInputException(e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new BadInputException(what + ": missing file " + e.getMessage(), e);
        } catch (SafeTensorsException | IllegalArgumentException e) {
            throw new BadInputException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a model (or a trainer with its model and data) from the local cache: besides the above,
     * any IO error reading those files means the uploaded folder is not a usable model (no
     * {@code model_index.json}, an unreadable config), so it is bad input too.
     */
    static <T> T loading(String what, EngineCall<T> work) throws Exception {
        try {
            return asBadInput(what, work);
        } catch (IOException e) {
            throw new BadInputException(what + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    interface EngineCall<T> {
        T run() throws Exception;
    }
}
