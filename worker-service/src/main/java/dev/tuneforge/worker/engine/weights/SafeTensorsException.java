package dev.tuneforge.worker.engine.weights;

/** A safetensors file that is truncated, corrupt or holds something the engine cannot load. */
public class SafeTensorsException extends RuntimeException {

    public SafeTensorsException(String message) {
        super(message);
    }

    public SafeTensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
