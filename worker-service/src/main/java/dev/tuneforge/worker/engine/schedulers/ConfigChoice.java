package dev.tuneforge.worker.engine.schedulers;

/** A scheduler option whose value in {@code scheduler_config.json} is one of a fixed set of strings. */
interface ConfigChoice {

    /** The string diffusers writes for this choice. */
    String configName();
}
