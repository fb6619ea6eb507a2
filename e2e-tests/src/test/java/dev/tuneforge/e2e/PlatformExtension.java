package dev.tuneforge.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * {@code @ExtendWith(PlatformExtension.class)}: starts the shared {@link E2ePlatform} before the
 * class's tests and, when a test fails, prints the tail of every service's log (the full logs
 * stay under {@code target/e2e-logs}).
 */
final class PlatformExtension implements BeforeAllCallback, TestWatcher {

    private static final int TAIL_LINES = 40;

    @Override
    public void beforeAll(ExtensionContext context) {
        E2ePlatform.get();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        E2ePlatform platform = E2ePlatform.startedOrNull();
        if (platform != null) {
            System.err.println("===== " + context.getDisplayName() + " failed: service logs under " + platform.logs()
                    + "\n" + platform.logTails(TAIL_LINES));
        }
    }
}
