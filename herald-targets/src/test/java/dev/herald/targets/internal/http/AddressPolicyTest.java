package dev.herald.targets.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.targets.OutboundRules;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
  private static final AddressPolicy PRODUCTION = new AddressPolicy(false, Set.of());
  private static final AddressPolicy DEVELOPMENT = new AddressPolicy(true, Set.of());

  @ParameterizedTest
  @ValueSource(
      strings = {
        "169.254.169.254",
        "fe80::1",
        "fd00:ec2::254",
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "ff02::1",
        "255.255.255.255",
        "240.0.0.1"
      })
  void linkLocalMetadataUnspecifiedMulticastAndBroadcastAreRefusedEvenInDevelopment(String host) {
    assertThatThrownBy(() -> DEVELOPMENT.resolve(host, 80))
        .isInstanceOf(AddressPolicy.Forbidden.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",
        "198.18.0.1",
        "198.19.255.254",
        "fc00::1",
        "fd12:3456::1"
      })
  void privateAndBenchmarkingRangesAreRefused(String host) {
    assertThatThrownBy(() -> PRODUCTION.resolve(host, 443))
        .isInstanceOf(AddressPolicy.Forbidden.class)
        .hasMessageContaining("private");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "::169.254.169.254", // IPv4-compatible
        "::ffff:169.254.169.254", // IPv4-mapped
        "::ffff:a9fe:a9fe",
        "64:ff9b::a9fe:a9fe", // NAT64 well-known prefix
        "64:ff9b:1::a9fe:a9fe", // NAT64 local-use prefix
        "2002:a9fe:a9fe::1", // 6to4
        "::ffff:255.255.255.255",
        "2852039166", // 169.254.169.254 as one number
        "169.254.43518" // and in the three-part form
      })
  void ipv6EmbeddingsAndShortFormsOfForbiddenIpv4AddressesAreRefused(String host) {
    assertThatThrownBy(() -> DEVELOPMENT.resolve(host, 80))
        .isInstanceOf(AddressPolicy.Forbidden.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"::10.0.0.1", "64:ff9b::a00:1", "2002:c0a8:101::1", "::ffff:10.0.0.1"})
  void ipv6EmbeddingsOfPrivateIpv4AddressesAreRefused(String host) {
    assertThatThrownBy(() -> PRODUCTION.resolve(host, 80))
        .isInstanceOf(AddressPolicy.Forbidden.class)
        .hasMessageContaining("private");
  }

  @ParameterizedTest
  @ValueSource(strings = {"::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1", "127.0.0.2"})
  void loopbackInAnyFormIsRefusedUnlessHeraldIsBoundToLoopback(String host) {
    assertThatThrownBy(() -> PRODUCTION.resolve(host, 8080))
        .isInstanceOf(AddressPolicy.Forbidden.class)
        .hasMessageContaining("loopback");
    assertThatCode(() -> DEVELOPMENT.resolve(host, 8080)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "64:ff9b::5db8:d70e"})
  void publicAddressesPass(String host) throws Exception {
    assertThat(PRODUCTION.resolve(host, 443)).isNotNull();
  }

  @Test
  void heraldsOwnPortsAreNeverATargetEvenWhenAllowListed() throws Exception {
    Set<Integer> own = ConcurrentHashMap.newKeySet();
    AddressPolicy policy =
        new AddressPolicy(OutboundRules.parse(true, "127.0.0.0/8, localhost", own));
    assertThat(policy.resolve("127.0.0.1", 7000)).isNotNull();
    own.add(7000); // the listener started
    for (String host : new String[] {"127.0.0.1", "127.0.0.5", "localhost", "::1", "0.0.0.0"}) {
      assertThatThrownBy(() -> policy.resolve(host, 7000))
          .as(host)
          .isInstanceOf(AddressPolicy.Forbidden.class)
          .hasMessageContaining("own port 7000");
    }
    assertThat(policy.resolve("127.0.0.1", 7001)).isNotNull();
    assertThat(policy.resolve("93.184.215.14", 7000)).isNotNull(); // not this machine
  }

  @Test
  void allowListedCidrsAndNamesOpenPrivateAndLoopbackAddresses() throws Exception {
    AddressPolicy policy =
        new AddressPolicy(
            OutboundRules.parse(false, "10.1.0.0/16,fd00::/8, 127.0.0.1 ,localhost", Set.of()));
    assertThat(policy.resolve("10.1.200.3", 80)).isNotNull();
    assertThatThrownBy(() -> policy.resolve("10.2.0.1", 80))
        .isInstanceOf(AddressPolicy.Forbidden.class);
    assertThat(policy.resolve("fd00::5", 80)).isNotNull();
    assertThat(policy.resolve("127.0.0.1", 80)).isNotNull();
    assertThatThrownBy(() -> policy.resolve("127.0.0.2", 80))
        .isInstanceOf(AddressPolicy.Forbidden.class);
    assertThat(policy.resolve("localhost", 80)).isNotNull();
    // an allow-list never opens link-local or metadata addresses
    AddressPolicy wide = new AddressPolicy(OutboundRules.parse(false, "0.0.0.0/0", Set.of()));
    assertThatThrownBy(() -> wide.resolve("169.254.169.254", 80))
        .isInstanceOf(AddressPolicy.Forbidden.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0/33",
        "10.0.0/8",
        "fd00::/129",
        "not a host!",
        "a,,b",
        "10.0.0.0/x",
        "10.0.0"
      })
  void badAllowListEntriesAreRefusedNamingTheEntry(String list) {
    assertThatThrownBy(() -> OutboundRules.parse(false, list, Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HERALD_OUTBOUND_ALLOW");
  }

  @Test
  void literalsAreCheckedWithoutDnsAndNamesPass() {
    assertThatThrownBy(() -> PRODUCTION.checkLiteral("169.254.169.254", 80))
        .isInstanceOf(AddressPolicy.Forbidden.class)
        .hasMessageStartingWith("169.254.169.254, a link-local");
    assertThatCode(() -> PRODUCTION.checkLiteral("hooks.example.invalid", 443))
        .doesNotThrowAnyException();
  }
}
