package dev.tuneforge.api.web;

import dev.tuneforge.api.config.ApiConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

/**
 * Enforces the body limits of {@code tuneforge.api.uploads} with a problem+json 413: small JSON
 * bodies everywhere ({@code max-body-size}), large multipart bodies on the dataset and model
 * uploads only ({@code max-upload-body-size}; {@code quarkus.http.limits.max-body-size}, Quarkus'
 * own check, is set to that). Quarkus' check answers with an empty 413 before any JAX-RS code
 * runs, so this route runs just before it:
 * <ul>
 * <li>a declared Content-Length over the limit is rejected before the body is read;</li>
 * <li>a chunked body is read here, up to the limit, and handed on as the request body (Quarkus
 * REST reads a body a route has already read); one over the limit is rejected.</li>
 * </ul>
 * A client that sends its body without waiting ({@code Expect: 100-continue}) only reads the
 * answer once it has written the whole body, so up to {@value #DRAIN_FACTOR} times the limit is
 * read and discarded before the answer, and the connection stays usable. Bodies larger than that
 * are not read: their answer comes at once and the connection is closed. A chunked upload is
 * streamed to disk by Quarkus, not buffered here, and stops at Quarkus' own limit.
 */
@ApplicationScoped
public class BodyLimitProblems {
    private static final long DRAIN_FACTOR = 8;

    /** The endpoints that take large multipart bodies. */
    private static final Set<String> UPLOAD_PATHS = Set.of(DatasetResource.PATH, ModelResource.PATH);

    private final long maxBodySize;
    private final long maxUploadBodySize;

    BodyLimitProblems(ApiConfig config) {
        this.maxBodySize = config.uploads().maxBodySize().asLongValue();
        this.maxUploadBodySize = config.uploads().maxUploadBodySize().asLongValue();
    }

    void install(@Observes Router router) {
        router.route()
                .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        boolean upload = request.method() == HttpMethod.POST && UPLOAD_PATHS.contains(request.path());
        long limit = upload ? maxUploadBodySize : maxBodySize;
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared = declaredLength(length);
            if (declared <= limit) {
                context.next();
            } else {
                rejectDeclared(context, limit, declared);
            }
        } else if (!upload && request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true)) {
            readChunked(context, limit);
        } else {
            context.next();
        }
    }

    private static void rejectDeclared(RoutingContext context, long limit, long declared) {
        HttpServerRequest request = context.request();
        Problem problem = tooLarge(context, "the body has " + declared + " bytes", limit);
        if (request.getHeader(HttpHeaders.EXPECT) != null || declared > DRAIN_FACTOR * limit) {
            answer(context, problem, true);
            return;
        }
        request.handler(ignored -> { });
        request.exceptionHandler(ignored -> answer(context, problem, true));
        request.endHandler(ignored -> answer(context, problem, false));
        request.resume();
    }

    private static void readChunked(RoutingContext context, long limit) {
        HttpServerRequest request = context.request();
        Buffer body = Buffer.buffer();
        long[] received = {0};
        request.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] <= limit) {
                body.appendBuffer(chunk);
            } else if (received[0] > DRAIN_FACTOR * limit) {
                answer(context, tooLarge(context, "the body has more than " + received[0] + " bytes", limit), true);
            }
        });
        request.exceptionHandler(ignored -> {
            if (received[0] > limit) {
                answer(context, tooLarge(context, "the body has more than " + received[0] + " bytes", limit), true);
            }
        });
        request.endHandler(ignored -> {
            if (received[0] <= limit) {
                context.setBody(body);
                context.next();
            } else {
                answer(context, tooLarge(context, "the body has " + received[0] + " bytes", limit), false);
            }
        });
        request.resume();
    }

    private static Problem tooLarge(RoutingContext context, String size, long limit) {
        return Problems.of(ProblemType.PAYLOAD_TOO_LARGE, size + "; at most " + limit + " are accepted",
                context.request().path());
    }

    private static void answer(RoutingContext context, Problem problem, boolean close) {
        if (context.response().ended()) {
            return;
        }
        context.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE);
        if (close) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        context.response().end(Buffer.buffer(Problems.json(problem)));
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
