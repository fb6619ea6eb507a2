/**
 * Noise schedulers of the diffusion engine, ported from diffusers 0.30: DDPM, DDIM (eta), PNDM,
 * Euler, Euler ancestral and DPM-Solver++ 2M (plain and Karras), for epsilon, v_prediction and
 * (where diffusers supports it) sample models.
 *
 * <p>Entry points: {@link dev.tuneforge.worker.engine.schedulers.SchedulerFactory#fromConfig} on a
 * model's {@code scheduler_config.json}, or {@link dev.tuneforge.worker.engine.schedulers.SchedulerFactory#create}
 * with a short name ({@code ddim}, {@code dpmpp-2m-karras}, ...) on a config of any class. Schedule
 * tables reproduce diffusers' float32 values; per-step arithmetic runs on the caller's NDArrays in
 * float32, in the caller's manager, while multistep history lives in a manager of the scheduler.
 * Timesteps are floats because Euler's linspace schedule is fractional; pass them to the UNet as is.
 */
package dev.tuneforge.worker.engine.schedulers;
