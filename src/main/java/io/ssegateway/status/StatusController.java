package io.ssegateway.status;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.ssegateway.security.AdminView;
import io.ssegateway.security.Principal;

/** {@code GET /status}: this instance's clients and counts; needs the admin role unless public. */
@Controller
@Secured(Principal.ROLE_ADMIN)
public class StatusController {
    private final StatusService status;

    public StatusController(StatusService status) {
        this.status = status;
    }

    @Get("/status")
    @AdminView
    public Status status() {
        return status.snapshot();
    }
}
