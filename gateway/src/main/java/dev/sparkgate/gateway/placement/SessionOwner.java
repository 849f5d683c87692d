package dev.sparkgate.gateway.placement;

import java.util.Set;

/**
 * Whose a session is, as a placement may need it: a placement whose namespace or service account follows the user or
 * group reads it ({@code groups} as the gateway authenticated them; none when unknown).
 *
 * @param name   the owner's name, or null for a gateway without users
 * @param groups the owner's groups
 */
public record SessionOwner(String name, Set<String> groups) {

    public SessionOwner {
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }
}
