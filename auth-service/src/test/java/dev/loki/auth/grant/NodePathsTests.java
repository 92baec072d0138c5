package dev.loki.auth.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodePathsTests {

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "/,            /,                 true",
            "/,            /corp/search,      true",
            "/corp,        /corp,             true",
            "/corp,        /corp/search,      true",
            "/corp,        /corp/search/web,  true",
            "/corp,        /corpx,            false",
            "/corp,        /cor,              false",
            "/corp/search, /corp,             false",
            "/corp/search, /corp/searchx/a,   false",
    })
    void grantCoversItsSubtreeOnly(String granted, String target, boolean covered) {
        assertThat(NodePaths.covers(granted, target)).isEqualTo(covered);
        assertThat(NodePaths.selfAndAncestors(target).contains(granted)).isEqualTo(covered);
    }

    @Test
    void ancestorsAreNearestFirst() {
        assertThat(NodePaths.selfAndAncestors("/corp/search/web")).containsExactly("/corp/search/web", "/corp/search", "/corp", "/");
        assertThat(NodePaths.selfAndAncestors("/")).isEqualTo(List.of("/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/corp", "/corp/search", "/a/b-c/d_e/0"})
    void validPaths(String path) {
        assertThat(NodePaths.valid(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "corp", "/corp/", "//", "/Corp", "/corp//x", "/-x", "/a b", "/corp/../x", "/é"})
    void invalidPaths(String path) {
        assertThat(NodePaths.valid(path)).isFalse();
    }
}
