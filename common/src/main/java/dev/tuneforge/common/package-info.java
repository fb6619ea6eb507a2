/** Contracts shared by every TuneForge service: specs, events, topics, keys, job states. */
package dev.tuneforge.common;
