/**
 * TuneForge scheduler-service: consumes job events into the audit log and job state, and runs the
 * Quartz timers (heartbeat sweep, retries). See the module README for the package anatomy.
 */
package dev.tuneforge.scheduler;
