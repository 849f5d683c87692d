package dev.sparkgate.gateway.session;

import java.util.List;

/**
 * Who besides its owner may see a session ({@code view}) or also drive and delete it ({@code modify}), by user name or
 * group, as its creator set it (Livy's view and modify lists, per session). Modify implies view.
 */
public record Sharing(List<String> viewUsers, List<String> viewGroups, List<String> modifyUsers,
                      List<String> modifyGroups) {

    public static final Sharing NONE = new Sharing(List.of(), List.of(), List.of(), List.of());

    public Sharing {
        viewUsers = List.copyOf(viewUsers);
        viewGroups = List.copyOf(viewGroups);
        modifyUsers = List.copyOf(modifyUsers);
        modifyGroups = List.copyOf(modifyGroups);
    }

    /** The same lists with {@code user} added to those who may modify (an impersonating service keeps its session). */
    public Sharing withModifier(String user) {
        if (modifyUsers.contains(user)) {
            return this;
        }
        List<String> modifiers = new java.util.ArrayList<>(modifyUsers);
        modifiers.add(user);
        return new Sharing(viewUsers, viewGroups, modifiers, modifyGroups);
    }

    public boolean isEmpty() {
        return viewUsers.isEmpty() && viewGroups.isEmpty() && modifyUsers.isEmpty() && modifyGroups.isEmpty();
    }
}
