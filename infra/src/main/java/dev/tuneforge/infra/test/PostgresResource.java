package dev.tuneforge.infra.test;

import dev.tuneforge.infra.Component;
import dev.tuneforge.infra.PlatformEnv;
import java.util.Set;

/**
 * Real PostgreSQL 17 with database, user and password {@code tuneforge} for {@code @QuarkusTest}s;
 * sets {@code quarkus.datasource.jdbc.url}, {@code .username} and {@code .password}.
 */
public class PostgresResource extends PlatformResource {
    public PostgresResource() {
        super(Set.of(Component.POSTGRES));
    }

    public static String jdbcUrl() {
        return SharedPlatform.env().get(PlatformEnv.Setting.QUARKUS_DATASOURCE_JDBC_URL);
    }
}
