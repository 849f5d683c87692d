package dev.sparkgate.kube.emulator;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens the emulated cluster issues to pods' service accounts, and whose they are. As Kubernetes' bound tokens
 * are, each is issued for one pod and dies with it; the API server authenticates a request bearing one as
 * {@code system:serviceaccount:<namespace>:<name>}. A token is random: it proves what it names.
 */
public final class ServiceAccountTokens {

  /** Tokens start so, so that the API server can tell a forged or expired one (401) from the admin's. */
  static final String PREFIX = "sparkgate-sa.";

  /** Who a service-account token speaks for. */
  public record ServiceAccount(String namespace, String name) {
    /** The user name Kubernetes gives the account, as RBAC and error messages show it. */
    public String userName() {
      return "system:serviceaccount:" + namespace + ":" + name;
    }
  }

  private record Issued(ServiceAccount account, String podUid) {}

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Issued> tokens = new ConcurrentHashMap<>();

  /** A new token for {@code account}, valid while the pod with {@code podUid} exists. */
  String issue(ServiceAccount account, String podUid) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String token = PREFIX + HexFormat.of().formatHex(bytes);
    tokens.put(token, new Issued(account, podUid));
    return token;
  }

  /** The pod is gone: its tokens no longer authenticate. */
  void revokeFor(String podUid) {
    tokens.values().removeIf(issued -> issued.podUid().equals(podUid));
  }

  /** The account a token speaks for, if it is a live service-account token. */
  public Optional<ServiceAccount> accountOf(String token) {
    return Optional.ofNullable(tokens.get(token)).map(Issued::account);
  }

  static boolean looksLikeServiceAccountToken(String token) {
    return token.startsWith(PREFIX);
  }
}
