package dev.sparkgate.gateway.identity;

import java.util.Set;

/**
 * Who a request comes from, as an authenticator established it: a name, the groups it is in, and whether it is an
 * administrator (sees and acts on every session). {@code via} names the way in, for the audit log.
 */
public record User(String name, Set<String> groups, boolean admin, String via) {

    /** No one: what a request that was never authenticated is taken for. It owns nothing and sees nothing. */
    public static final User NOBODY = new User("", Set.of(), false, "none");

    public User {
        groups = Set.copyOf(groups);
    }

    /**
     * The one user of a gateway with no authentication configured (the embedded default): the gateway's OS user, who
     * owns everything, as before users existed.
     */
    public static User local() {
        return new User(System.getProperty("user.name", "local"), Set.of(), true, "none");
    }

    /** The same user, made an administrator when the operator named it or one of its groups as one. */
    User withAdmin(Set<String> adminUsers, Set<String> adminGroups) {
        boolean named = adminUsers.contains(name) || groups.stream().anyMatch(adminGroups::contains);
        return admin || !named ? this : new User(name, groups, true, via);
    }
}
