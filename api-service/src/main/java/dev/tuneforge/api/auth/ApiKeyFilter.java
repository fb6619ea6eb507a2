package dev.tuneforge.api.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Every {@code /api/v1} call needs {@code Authorization: Bearer <key>}. Runs after resource
 * matching, on the worker thread of the (blocking) resource method, because the check reads the
 * database.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyFilter implements ContainerRequestFilter {
    private static final String API_PREFIX = "/api/v1/";
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final CallerContext callerContext;

    ApiKeyFilter(ApiKeys keys, CallerContext callerContext) {
        this.keys = keys;
        this.callerContext = callerContext;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.startsWith("/") ? path : "/" + path).concat("/").startsWith(API_PREFIX)) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw new UnauthenticatedException("missing Authorization header; send 'Authorization: Bearer <api key>'");
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.substring(BEARER.length()).isBlank()) {
            throw new UnauthenticatedException("the Authorization header must be 'Bearer <api key>'");
        }
        String secret = header.substring(BEARER.length()).trim();
        callerContext.set(keys.authenticate(secret)
                .orElseThrow(() -> new UnauthenticatedException("unknown or revoked API key")));
    }
}
