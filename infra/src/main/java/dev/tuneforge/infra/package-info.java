/** TuneForge infra. */
package dev.tuneforge.infra;
