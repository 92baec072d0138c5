package dev.loki.auth.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 11, item 8: which peers may name the client, and what counts as an address. */
class ClientAddressTests {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "127.0.0.0/8,     127.0.0.1,   true",
            "127.0.0.0/8,     127.9.9.9,   true",
            "127.0.0.0/8,     128.0.0.1,   false",
            "10.0.0.0/8,      10.255.0.1,  true",
            "172.16.0.0/12,   172.31.1.1,  true",
            "172.16.0.0/12,   172.32.0.1,  false",
            "192.168.1.7/32,  192.168.1.7, true",
            "192.168.1.7/32,  192.168.1.8, false",
            "::1/128,         ::1,         true",
            "::1/128,         127.0.0.1,   false",
            "0.0.0.0/0,       8.8.8.8,     true",
    })
    void cidrs(String cidr, String address, boolean contained) throws Exception {
        assertThat(ClientAddress.Cidr.parse(cidr).contains(InetAddress.getByName(address))).isEqualTo(contained);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "example.com/8", "10.0.0/8", "", "10.0.0.0/x"})
    void badCidrsFailAtStartWithTheSettingNamed(String cidr) {
        assertThatThrownBy(() -> ClientAddress.Cidr.parse(cidr)).hasMessageContaining("trusted-proxies");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"203.0.113.7, true", "::1, true", "2001:db8::7, true", "256.1.1.1, false", "1.2.3, false", "abc, false",
            "a.b.c.d, false", "localhost, false", "' ', false", "1.2.3.4.5, false", "::ffff:1.2.3.4, true"})
    void onlyLiteralAddressesAreTaken(String text, boolean taken) {
        assertThat(ClientAddress.isAddress(text.strip())).isEqualTo(taken);
    }
}
