package dev.tuneforge.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the end-to-end tests share: the JVM's one platform (started on first use, its logs printed when a test
 * fails), the public API, the bucket, and the demo model and dataset registered once.
 */
@ExtendWith(PlatformExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DemoPlatformIT {
    protected E2ePlatform platform;
    protected Api api;
    protected Artifacts s3;

    @BeforeAll
    void demoPlatform() {
        platform = E2ePlatform.get();
        api = new Api(platform);
        s3 = new Artifacts(platform);
        DemoJobs.register(platform, api);
    }
}
