package dev.tuneforge.api.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Quarkus rejects a body over {@code quarkus.http.limits.max-body-size} with an empty 413 before
 * any JAX-RS code runs. This route runs just before that check and gives a request whose declared
 * Content-Length is over the limit the same answer as problem+json.
 */
@ApplicationScoped
public class BodyLimitProblems {
    private final Optional<MemorySize> maxBodySize;

    BodyLimitProblems(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    void install(@Observes Router router) {
        maxBodySize.ifPresent(limit -> router.route()
                .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(context -> rejectIfTooLarge(context, limit.asLongValue())));
    }

    private static void rejectIfTooLarge(RoutingContext context, long limit) {
        long declared = declaredLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH));
        if (declared <= limit) {
            context.next();
            return;
        }
        Problem problem = Problems.of(ProblemType.PAYLOAD_TOO_LARGE,
                "the body has " + declared + " bytes; at most " + limit + " are accepted", context.request().path());
        context.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                // The unread body is not drained: the connection cannot be reused.
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Buffer.buffer(Problems.json(problem)));
    }

    private static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
