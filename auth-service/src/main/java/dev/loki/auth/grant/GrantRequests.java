package dev.loki.auth.grant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.loki.support.ValidNodePath;
import dev.loki.support.ValidPrivilege;

/** Request and answer shapes of grants, petitions and checks. */
final class GrantRequests {

    static final String SUBJECT = "^user:[a-z0-9][a-z0-9._-]{0,63}$|^token:[1-9][0-9]{0,18}$";
    static final String SUBJECT_MESSAGE = "user:<username> or token:<id>";

    private GrantRequests() {
    }

    record CreateGrantRequest(
            @NotNull @Pattern(regexp = SUBJECT, message = SUBJECT_MESSAGE) String subject,
            @NotNull @ValidNodePath String nodePath,
            @NotNull @ValidPrivilege String privilege) {
    }

    record CreatePetitionRequest(
            @NotNull @ValidNodePath String nodePath,
            @NotNull @ValidPrivilege String privilege,
            @NotBlank @Size(max = 1000) String reason) {
    }

    /** {@code grantedBy} is the grant that allows it (nearest to the node), null when not allowed or admin. */
    record CheckResult(boolean allowed, GrantedBy grantedBy, String reason) {
    }

    record GrantedBy(String nodePath, String privilege) {
    }
}
