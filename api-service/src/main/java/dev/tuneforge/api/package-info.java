/** TuneForge api-service. */
package dev.tuneforge.api;
