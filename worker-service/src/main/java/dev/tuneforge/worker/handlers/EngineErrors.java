package dev.tuneforge.worker.handlers;

import dev.tuneforge.worker.engine.training.NonFiniteLossException;
import dev.tuneforge.worker.engine.training.data.DatasetException;
import dev.tuneforge.worker.engine.weights.SafeTensorsException;
import dev.tuneforge.worker.runner.BadInputException;
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

    @FunctionalInterface
    interface EngineCall<T> {
        T run() throws Exception;
    }
}
