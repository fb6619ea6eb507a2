package dev.tuneforge.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Resolves "port 0" to a concrete free loopback port, so a server can be restarted on the same one. */
public final class FreePorts {
    private FreePorts() {
    }

    /** {@code requested} itself when it is not 0, otherwise a port that is free right now. */
    public static int resolve(int requested) {
        if (requested < 0 || requested > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535, got " + requested);
        }
        return requested != 0 ? requested : pick();
    }

    private static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
