package dev.loki.auth.user;

import java.net.URI;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.support.Page;
import reactor.core.publisher.Mono;

/** User administration (administrators only). */
@RestController
@RequestMapping("/api/auth/users")
class UserController {

    private final UserService users;
    private final Administrators admins;

    UserController(UserService users, Administrators admins) {
        this.users = users;
        this.admins = admins;
    }

    @GetMapping
    Mono<Page<UserView>> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return admins.require().then(users.list(page, size));
    }

    @PostMapping
    Mono<ResponseEntity<UserView>> create(@Valid @RequestBody CreateUserRequest request) {
        return admins.require().then(users.create(request))
                .map(u -> ResponseEntity.created(URI.create("/api/auth/users/" + u.username())).body(UserView.of(u)));
    }

    @GetMapping("/{username}")
    Mono<UserView> get(@PathVariable String username) {
        return admins.require().then(users.get(username)).map(UserView::of);
    }

    @PatchMapping("/{username}")
    Mono<UserView> update(@PathVariable String username, @Valid @RequestBody UpdateUserRequest request) {
        return admins.require().flatMap(c -> users.update(username, request, c.username())).map(UserView::of);
    }

    @DeleteMapping("/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable String username) {
        return admins.require().flatMap(c -> users.delete(username, c.username()));
    }
}
