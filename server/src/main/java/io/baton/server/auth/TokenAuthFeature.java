package io.baton.server.auth;

import io.dropwizard.auth.AuthDynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;

/**
 * Dropwizard's {@link AuthDynamicFeature}, closed by default: a route without auth annotations (the {@code OPTIONS}
 * answers Jersey adds) needs a token too, unless it is {@link Public}.
 */
public final class TokenAuthFeature extends AuthDynamicFeature {
    private final TokenAuthFilter filter;

    public TokenAuthFeature(TokenAuthFilter filter) {
        super(filter);
        this.filter = filter;
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Method method = resource.getResourceMethod();
        if (method != null && method.isAnnotationPresent(Public.class)) {
            return;
        }
        super.configure(resource, context);
        if (!context.getConfiguration().isRegistered(filter)) {
            context.register(filter);
        }
    }
}
