package io.ssegateway.status;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;

/** {@code GET /status}: this instance's clients and counts; needs the admin role unless public. */
@Controller
public class StatusController {
    private final StatusService status;
    private final AdminAccess access;

    public StatusController(StatusService status, AdminAccess access) {
        this.status = status;
        this.access = access;
    }

    @Get("/status")
    public Status status(@Nullable @Header("Authorization") String authorization,
                                      @Nullable @QueryValue("access_token") String accessToken,
                                      @Nullable @Header("Cookie") String cookie) {
        access.check(authorization, accessToken, cookie);
        return status.snapshot();
    }
}
