package dev.tuneforge.api.auth;

import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request, set by {@link ApiKeyFilter}. */
@RequestScoped
public class CallerContext {
    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller current() {
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller: the resource is outside /api/v1's key check");
        }
        return caller;
    }
}
