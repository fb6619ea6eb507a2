package dev.tuneforge.worker.engine.cli;

import ai.djl.Device;
import dev.tuneforge.worker.engine.training.LrSchedule;
import dev.tuneforge.worker.engine.training.NonFiniteLossException;
import dev.tuneforge.worker.engine.training.StepProgress;
import dev.tuneforge.worker.engine.training.Trainer;
import dev.tuneforge.worker.engine.training.TrainingConfig;
import dev.tuneforge.worker.engine.training.TrainingListener;
import dev.tuneforge.worker.engine.training.TrainingMethod;
import dev.tuneforge.worker.engine.training.TrainingResult;
import dev.tuneforge.worker.engine.training.data.DatasetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code train --model DIR --data DIR --out DIR [options]}: a LoRA or DreamBooth run with progress
 * on stderr. SIGTERM (or Ctrl-C) stops after the current step with a checkpoint, so
 * {@code --resume} continues where it stopped.
 */
final class TrainCommand {

    static final Set<String> OPTIONS = Set.of("model", "data", "out", "method", "steps", "rank", "alpha", "lr",
            "text-encoder-lr", "checkpoint-every", "keep-checkpoints", "batch", "accumulation", "resolution",
            "lr-scheduler", "warmup", "cycles", "snr-gamma", "max-grad-norm", "seed", "prediction-type",
            "instance-prompt", "class-prompt", "class-data", "class-images", "prior-weight", "validation-prompt",
            "validation-every", "validation-steps", "device");
    static final Set<String> FLAGS = Set.of("resume", "cache-latents", "random-flip", "center-crop", "no-text-encoder",
            "skip-bad-files", "reject-small-images", "full-unet");
    static final String USAGE = String.join("\n",
            "       engine train --model DIR --data DIR --out DIR [--method lora|dreambooth] [--steps N] [--rank R]",
            "                    [--alpha A] [--lr X] [--text-encoder-lr X] [--checkpoint-every N] [--keep-checkpoints K]",
            "                    [--resume] [--batch N] [--accumulation N] [--resolution PX] [--lr-scheduler NAME]",
            "                    [--warmup N] [--cycles N] [--snr-gamma G|none] [--max-grad-norm X|none] [--seed N]",
            "                    [--prediction-type epsilon|v_prediction] [--cache-latents] [--random-flip]",
            "                    [--center-crop] [--no-text-encoder] [--skip-bad-files] [--reject-small-images]",
            "                    [--instance-prompt TEXT] [--class-prompt TEXT] [--class-data DIR] [--class-images N]",
            "                    [--prior-weight W] [--validation-prompt TEXT ...] [--validation-every N]",
            "                    [--validation-steps N] [--device cpu|gpu] [--full-unet (DreamBooth without LoRA)]");
    private static final long STOP_GRACE_MINUTES = 10;

    private TrainCommand() {
    }

    /** Runs a training; returns the exit code (1 when the data or the run fails). */
    static int run(List<String> args) throws Exception {
        List<String> flags = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--") && FLAGS.contains(arg.substring(2))) {
                flags.add(arg.substring(2));
            } else {
                rest.add(arg);
            }
        }
        TrainingConfig config = config(CliArgs.parse(rest, OPTIONS), flags);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            stop.set(true);
            awaitQuietly(done);
        }, "train-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try (Trainer trainer = Trainer.create(config, listener(stop))) {
            TrainingResult result = trainer.train();
            if (result.stopped()) {
                System.err.println("stopped at step " + result.steps() + "; continue with --resume");
            } else {
                System.out.println(result.finalDir());
            }
            return 0;
        } catch (DatasetException | NonFiniteLossException e) {
            System.err.println("engine train: " + e.getMessage());
            return 1;
        } finally {
            done.countDown();
            if (!stop.get()) {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            }
        }
    }

    private static void awaitQuietly(CountDownLatch done) {
        try {
            done.await(STOP_GRACE_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TrainingConfig config(CliArgs o, List<String> flags) {
        TrainingConfig.Builder b = TrainingConfig.builder().modelDir(Path.of(o.required("model")))
                .dataDir(Path.of(o.required("data"))).outputDir(Path.of(o.required("out")))
                .method(TrainingMethod.parse(o.get("method", "lora")))
                .resume(flags.contains("resume")).cacheLatents(flags.contains("cache-latents"))
                .randomFlip(flags.contains("random-flip")).centerCrop(flags.contains("center-crop"))
                .trainTextEncoder(!flags.contains("no-text-encoder")).skipBadFiles(flags.contains("skip-bad-files"))
                .rejectSmallImages(flags.contains("reject-small-images")).fullFinetune(flags.contains("full-unet"));
        ifPresent(o, "steps", v -> b.maxSteps(Integer.parseInt(v)));
        ifPresent(o, "rank", v -> b.rank(Integer.parseInt(v)));
        ifPresent(o, "alpha", v -> b.alpha(Double.parseDouble(v)));
        ifPresent(o, "lr", v -> b.unetLr(Double.parseDouble(v)));
        ifPresent(o, "text-encoder-lr", v -> b.textEncoderLr(Double.parseDouble(v)));
        ifPresent(o, "checkpoint-every", v -> b.checkpointEvery(Integer.parseInt(v)));
        ifPresent(o, "keep-checkpoints", v -> b.keepCheckpoints(Integer.parseInt(v)));
        ifPresent(o, "batch", v -> b.batchSize(Integer.parseInt(v)));
        ifPresent(o, "accumulation", v -> b.gradientAccumulation(Integer.parseInt(v)));
        ifPresent(o, "resolution", v -> b.resolution(Integer.parseInt(v)));
        ifPresent(o, "lr-scheduler", v -> b.lrScheduler(LrSchedule.Kind.parse(v).configName()));
        ifPresent(o, "warmup", v -> b.lrWarmupSteps(Integer.parseInt(v)));
        ifPresent(o, "cycles", v -> b.lrCycles(Integer.parseInt(v)));
        ifPresent(o, "snr-gamma", v -> b.snrGamma("none".equals(v) ? null : Float.parseFloat(v)));
        ifPresent(o, "max-grad-norm", v -> b.maxGradNorm("none".equals(v) ? null : Double.parseDouble(v)));
        ifPresent(o, "seed", v -> b.seed(Long.parseLong(v)));
        ifPresent(o, "prediction-type", b::predictionType);
        ifPresent(o, "instance-prompt", b::instancePrompt);
        ifPresent(o, "class-prompt", b::classPrompt);
        ifPresent(o, "class-data", v -> b.classDataDir(Path.of(v)));
        ifPresent(o, "class-images", v -> b.numClassImages(Integer.parseInt(v)));
        ifPresent(o, "prior-weight", v -> b.priorLossWeight(Double.parseDouble(v)));
        ifPresent(o, "validation-every", v -> b.validationEvery(Integer.parseInt(v)));
        ifPresent(o, "validation-steps", v -> b.validationSteps(Integer.parseInt(v)));
        ifPresent(o, "device", v -> b.device(Device.fromName(v)));
        if (o.has("validation-prompt")) {
            b.validationPrompts(o.all("validation-prompt"));
        }
        return b.build();
    }

    /** Applies {@code setter} to the option's value; a value that is not a number fails naming the option. */
    private static void ifPresent(CliArgs options, String name, java.util.function.Consumer<String> setter) {
        if (!options.has(name)) {
            return;
        }
        String value = options.get(name, null);
        try {
            setter.accept(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + ": '" + value + "' is not a number", e);
        }
    }

    private static TrainingListener listener(AtomicBoolean stop) {
        return new TrainingListener() {
            @Override
            public void onStep(StepProgress p) {
                System.err.println(String.format(Locale.ROOT, "step %d/%d loss %.4f avg %.4f lr %.2e grad %.3g %.2f img/s"
                        + " eta %s", p.step(), p.totalSteps(), p.loss(), p.averageLoss(), p.unetLr(), p.gradNorm(),
                        p.imagesPerSecond(), format(p.eta())));
            }

            @Override
            public void onCheckpoint(int step, Path dir) {
                System.err.println("checkpoint " + dir);
            }

            @Override
            public void onValidation(int step, List<String> prompts, List<Path> images) {
                System.err.println("validation images of step " + step + ": " + images);
            }

            @Override
            public void onWarning(String message) {
                System.err.println("warning: " + message);
            }

            @Override
            public boolean stopRequested() {
                return stop.get();
            }
        };
    }

    private static String format(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
