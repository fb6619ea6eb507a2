package dev.tuneforge.api.web;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI description of the API: every {@code /api/v1} call needs a bearer API key. */
@OpenAPIDefinition(info = @Info(title = "TuneForge API", version = "v1",
        description = "Submit, follow and cancel Stable Diffusion fine-tuning, generation and evaluation jobs. "
                + "Errors are RFC 9457 application/problem+json."))
@SecurityScheme(securitySchemeName = ApiApplication.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key: Authorization: Bearer <key>")
public class ApiApplication extends Application {
    static final String BEARER = "api-key";
}
