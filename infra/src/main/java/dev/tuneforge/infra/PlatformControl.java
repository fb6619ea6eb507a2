package dev.tuneforge.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;

/**
 * Line protocol on a loopback port through which a parent process (the test resources) starts and
 * stops single servers of a platform that runs in a child JVM: {@code start kafka},
 * {@code stop kafka}, ...; each answered by one line, {@code ok} or {@code error <reason>}. After
 * an {@code ok} the platform's {@code platform.env} describes the servers that now run.
 */
public final class PlatformControl {
    /** File under the platform root that holds the control port once commands are accepted. */
    public static final String PORT_FILE = "control.port";
    private static final String OK = "ok";
    private static final String ERROR = "error ";
    private static final Duration REPLY_TIMEOUT = Duration.ofMinutes(3);

    private PlatformControl() {
    }

    /** Accepts commands for {@code platform} on a daemon thread and publishes the port under {@code root}. */
    static void serve(EmbeddedPlatform platform, Path root) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> acceptLoop(server, platform), "tuneforge-platform-control");
        acceptor.setDaemon(true);
        acceptor.start();
        Path temp = root.resolve(PORT_FILE + ".tmp");
        Files.writeString(temp, Integer.toString(server.getLocalPort()));
        Files.move(temp, root.resolve(PORT_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Sends one command to the platform listening on {@code port}; throws with the platform's reason on failure. */
    public static void request(int port, String command, Set<Component> components) {
        request(port, command + " " + Component.formatList(components));
    }

    private static void request(int port, String command) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
            PrintWriter out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), true);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.println(command);
            String reply = in.readLine();
            if (reply == null || !reply.equals(OK)) {
                throw new IllegalStateException("platform refused '" + command + "': "
                        + (reply == null ? "no reply" : reply.substring(Math.min(reply.length(), ERROR.length()))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the platform control port " + port + " for '" + command + "'", e);
        }
    }

    private static void acceptLoop(ServerSocket server, EmbeddedPlatform platform) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), true);
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.println(execute(platform, line.trim()));
                }
            } catch (IOException e) {
                // A client that went away mid-command: the next one gets a fresh connection.
            }
        }
    }

    private static String execute(EmbeddedPlatform platform, String command) {
        try {
            String[] words = command.split("\\s+");
            if (words.length != 2) {
                throw new IllegalArgumentException("expected '<start|stop> <component>[,<component>...]', got '" + command + "'");
            }
            Set<Component> components = Component.parseList(words[1]);
            switch (words[0]) {
                case "start" -> platform.start(components);
                case "stop" -> components.forEach(platform::stop);
                default -> throw new IllegalArgumentException("unknown command '" + words[0] + "', expected start or stop");
            }
            return OK;
        } catch (RuntimeException e) {
            return ERROR + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }
}
