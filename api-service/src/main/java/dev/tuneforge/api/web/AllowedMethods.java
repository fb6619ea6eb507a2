package dev.tuneforge.api.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The methods each path accepts, read from the JAX-RS annotations of the resource beans. A 405
 * must say which methods are allowed (RFC 9110 §15.5.6), and Quarkus REST's own 405 does not.
 */
@ApplicationScoped
public class AllowedMethods {
    /** {name} or {name: regex} in a @Path template. */
    private static final Pattern PARAMETER = Pattern.compile("\\{\\s*\\w[\\w.-]*\\s*(?::\\s*((?:[^{}]|\\{[^{}]*})+))?}");

    private record Route(Pattern path, String method) {
    }

    private final List<Route> routes = new ArrayList<>();

    AllowedMethods(BeanManager beans) {
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Path classPath = bean.getBeanClass().getAnnotation(Path.class);
            if (classPath != null) {
                addRoutes(classPath.value(), bean.getBeanClass());
            }
        }
    }

    /** Allowed methods at {@code path}, with the HEAD and OPTIONS that Quarkus REST adds; empty: no such path. */
    public Set<String> at(String path) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            if (route.path.matcher(path).matches()) {
                allowed.add(route.method);
            }
        }
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        if (!allowed.isEmpty()) {
            allowed.add("OPTIONS");
        }
        return allowed;
    }

    private void addRoutes(String classPath, Class<?> resource) {
        for (Method method : resource.getMethods()) {
            String httpMethod = httpMethod(method);
            if (httpMethod != null) {
                Path methodPath = method.getAnnotation(Path.class);
                String template = methodPath == null ? classPath : classPath + "/" + methodPath.value();
                routes.add(new Route(regex(template), httpMethod));
            }
        }
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    static Pattern regex(String template) {
        String normalised = ("/" + template).replaceAll("/+", "/").replaceAll("(.)/$", "$1");
        StringBuilder regex = new StringBuilder();
        Matcher parameter = PARAMETER.matcher(normalised);
        int last = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(normalised.substring(last, parameter.start())));
            regex.append('(').append(parameter.group(1) != null ? parameter.group(1).trim() : "[^/]+").append(')');
            last = parameter.end();
        }
        regex.append(Pattern.quote(normalised.substring(last))).append("/?");
        return Pattern.compile(regex.toString());
    }
}
