/** TuneForge scheduler-service. */
package dev.tuneforge.scheduler;
