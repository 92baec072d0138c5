package dev.loki.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one tree-path grammar (issue 11, item 12) and the one privilege list. */
class NodePathTests {

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
    void aPathCoversItsSubtreeOnly(String granted, String target, boolean covered) {
        assertThat(NodePath.of(granted).covers(NodePath.of(target))).isEqualTo(covered);
        assertThat(NodePath.of(target).selfAndAncestors().contains(granted)).isEqualTo(covered);
    }

    @Test
    void ancestorsAreNearestFirst() {
        assertThat(NodePath.of("/corp/search/web").selfAndAncestors()).containsExactly("/corp/search/web", "/corp/search", "/corp", "/");
        assertThat(NodePath.ROOT.selfAndAncestors()).isEqualTo(List.of("/"));
        assertThat(NodePath.ROOT.child("corp").child("search").value()).isEqualTo("/corp/search");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/corp", "/corp/search", "/a/b-c/d_e/0", "/0a", "/a_"})
    void validPaths(String path) {
        assertThat(NodePath.isValid(path)).isTrue();
        assertThat(NodePath.of(path).value()).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "corp", "/corp/", "//", "/Corp", "/corp//x", "/-x", "/_x", "/a b", "/corp/../x", "/é", "/a\u0000",
            " /a", "/a\n"})
    void invalidPaths(String path) {
        assertThat(NodePath.isValid(path)).isFalse();
        assertThatThrownBy(() -> NodePath.of(path)).isInstanceOf(IllegalArgumentException.class).hasMessage(NodePath.MESSAGE);
    }

    @Test
    void lengthsAreBoundedAndHugeInputsAreRefusedWithoutRecursion() {
        String segment63 = "a".repeat(63);
        assertThat(NodePath.isValid("/" + segment63)).isTrue();
        assertThat(NodePath.isValid("/" + segment63 + "a")).isFalse();
        String longest = ("/" + "b".repeat(63)).repeat(8);
        assertThat(longest).hasSize(NodePath.MAX_LENGTH);
        assertThat(NodePath.isValid(longest)).isTrue();
        assertThat(NodePath.isValid(longest + "/c")).isFalse();
        // the old regex threw StackOverflowError on inputs like these
        assertThat(NodePath.isValid("/a".repeat(10_000))).isFalse();
        assertThat(NodePath.isValid("/" + "a".repeat(1_000_000))).isFalse();
        assertThat(NodePath.isValidName("web-api")).isTrue();
        assertThat(NodePath.isValidName("a/b")).isFalse();
        assertThat(NodePath.isValidName("")).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/,         /%",
            "/corp,     /corp/%",
            "/corp_a,   /corp\\_a/%",
            "/a_b/c_d,  /a\\_b/c\\_d/%",
    })
    void subtreesAreOneLikePatternWithUnderscoresTakenLiterally(String path, String pattern) {
        assertThat(NodePath.sqlLikeBelow(path)).isEqualTo(pattern);
    }

    @Test
    void privilegesAreOneListAndItsMessageNamesThemAll() {
        assertThat(Privilege.MESSAGE).isEqualTo("one of " + String.join(", ", Arrays.stream(Privilege.values()).map(Privilege::wire).toList()));
        assertThat(Privilege.parse("deploy.run")).isEqualTo(Privilege.DEPLOY_RUN);
        assertThat(Privilege.of("deploy.all")).isEmpty();
        assertThatThrownBy(() -> Privilege.parse("root")).isInstanceOf(IllegalArgumentException.class).hasMessage(Privilege.MESSAGE);
    }
}
