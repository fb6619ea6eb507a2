package dev.tuneforge.infra.s3;

import dev.tuneforge.infra.EmbeddedServer;
import dev.tuneforge.infra.FreePorts;
import io.minio.MinioClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobApiMetadata;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible server (s3proxy over its {@code filesystem-nio2} store) on loopback: objects are
 * plain files under the data directory, so they survive restarts. The bucket {@value #BUCKET}
 * exists once {@link #start()} returns; requests must be signed (AWS V2 or V4) with
 * {@value #ACCESS_KEY} / {@value #SECRET_KEY}.
 *
 * <p>Why not jclouds' classic {@code filesystem} store: its recursive listings also return the
 * directories in between as empty "folder/" objects, which real S3 never does, so a service
 * listing {@code tenants/t/datasets/d/} would see entries that are not files.
 */
public final class EmbeddedS3 implements EmbeddedServer {
    public static final String BUCKET = "tuneforge";
    public static final String ACCESS_KEY = "tuneforge";
    public static final String SECRET_KEY = "tuneforge-secret";
    /** s3proxy answers every region; clients that sign V4 still need one. */
    public static final String REGION = "us-east-1";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);
    private static final long START_TIMEOUT_MS = 30_000;

    private final Path dataDir;
    private final int port;
    private BlobStoreContext context;
    private S3Proxy proxy;

    /**
     * @param dataDir directory that holds one sub-directory per bucket
     * @param port    port, 0 for any free port (kept across restarts of this instance)
     */
    public EmbeddedS3(Path dataDir, int port) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = FreePorts.resolve(port);
    }

    /** Starts the server and creates the bucket when missing. Idempotent. */
    @Override
    public synchronized void start() {
        if (proxy != null) {
            return;
        }
        long began = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create S3 data directory " + dataDir, e);
        }
        Properties overrides = new Properties();
        overrides.setProperty(FilesystemConstants.PROPERTY_BASEDIR, dataDir.toString());
        // By API metadata, not by provider id: a lookup by id instantiates every jclouds provider on
        // the classpath, including s3proxy's Azure one whose SDK infra leaves out on purpose.
        // The local store itself needs no credentials, but jclouds insists on having some.
        context = ContextBuilder.newBuilder(new FilesystemNio2BlobApiMetadata())
                .credentials("local", "local")
                .overrides(overrides)
                .buildView(BlobStoreContext.class);
        BlobStore store = context.getBlobStore();
        store.createContainerInLocation(null, BUCKET);
        S3Proxy started = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            started.start();
            awaitStarted(started);
        } catch (Exception e) {
            stopQuietly(started);
            context.close();
            context = null;
            throw new IllegalStateException("cannot start the S3 server on port " + port + ": " + e.getMessage(), e);
        }
        proxy = started;
        LOG.info("S3 ready on {} (bucket {}, data {}) in {} ms", endpoint(), BUCKET, dataDir, (System.nanoTime() - began) / 1_000_000);
    }

    /** Stops the server; the objects stay on disk. Idempotent. */
    @Override
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the S3 server on port " + port, e);
        } finally {
            proxy = null;
            context.close();
            context = null;
        }
        LOG.info("S3 on port {} stopped", port);
    }

    @Override
    public synchronized boolean isRunning() {
        return proxy != null;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A MinIO client for this server, as the services build theirs. */
    public MinioClient client() {
        return client(endpoint());
    }

    public static MinioClient client(String endpoint) {
        return MinioClient.builder().endpoint(endpoint).region(REGION).credentials(ACCESS_KEY, SECRET_KEY).build();
    }


    private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("s3proxy still " + proxy.getState() + " after " + START_TIMEOUT_MS + " ms");
            }
            Thread.sleep(20);
        }
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            LOG.debug("s3proxy did not stop cleanly after a failed start", e);
        }
    }
}
