package dev.loki.support;

import java.net.URI;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A domain failure rendered as RFC 9457 problem+json: a status, a stable {@code type}
 * ({@code https://loki.dev/problems/<slug>}), a title and a detail for this occurrence.
 * Services subclass it per failure (e.g. {@code UserNotFound}).
 */
public class LokiProblem extends ErrorResponseException {

    public static final String TYPE_BASE = "https://loki.dev/problems/";

    public LokiProblem(HttpStatusCode status, String slug, String title, String detail) {
        super(status, problem(status, slug, title, detail), null);
    }

    public static ProblemDetail problem(HttpStatusCode status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + slug));
        problem.setTitle(title);
        return problem;
    }
}
