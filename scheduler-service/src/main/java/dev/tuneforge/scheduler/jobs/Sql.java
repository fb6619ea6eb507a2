package dev.tuneforge.scheduler.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Plain JDBC on the transaction's connection: the datasource hands out the one enlisted in the JTA transaction. */
public final class Sql {
    private Sql() {
    }

    static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    public static int update(DataSource dataSource, String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new DataAccessException("statement failed [" + sql.substring(0, Math.min(60, sql.length())) + "…]", e);
        }
    }

    /** Reads one row into a value. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Every row {@code sql} selects, each read by {@code reader}. */
    public static <T> List<T> query(DataSource dataSource, String sql, Row<T> reader, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<T> found = new ArrayList<>();
            while (rows.next()) {
                found.add(reader.read(rows));
            }
            return found;
        } catch (SQLException e) {
            throw new DataAccessException("query failed [" + sql.substring(0, Math.min(60, sql.length())) + "…]", e);
        }
    }
}
