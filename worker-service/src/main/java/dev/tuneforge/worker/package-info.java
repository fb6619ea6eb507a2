/** TuneForge worker-service. */
package dev.tuneforge.worker;
