package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.gateway.errors.NotPermitted;
import dev.sparkgate.gateway.kubernetes.driverpod.steps.DriverServiceAccountStep;
import dev.sparkgate.gateway.placement.SessionOwner;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where a session's pods go by whose it is: the operator's templates for the namespace
 * ({@code SPARKGATE_NAMESPACE_TEMPLATE}, e.g. {@code team-{group}} or {@code spark-{user}}) and for the drivers' and
 * executors' service account ({@code SPARKGATE_SERVICE_ACCOUNT_TEMPLATE}, e.g. {@code spark-{group}}). Either may be
 * unset: then the gateway's namespace ({@code SPARKGATE_NAMESPACE}) or the drivers' account
 * ({@code SPARKGATE_DRIVER_SERVICE_ACCOUNT}) is every session's.
 *
 * <p>A session's group, when a template needs one: the group it asks for with the conf {@value #GROUP_CONF}, which its
 * owner must be in; else the first of {@code SPARKGATE_PLACEMENT_GROUPS} (the operator's ordered list of the groups
 * that have a place) its owner is in; else, without that list, its owner's only group. An owner in none is refused
 * (403), as is one in several with no list and no choice (400, naming them). A session made for another user (an
 * impersonator's) carries no groups the gateway knows, so it must be placed by user.
 *
 * <p>The result is confs Spark itself reads, so a session's record keeps them and a restarted gateway finds its pods
 * where they are: {@code spark.kubernetes.namespace} and the driver and executor
 * {@code spark.kubernetes.authenticate.*.serviceAccountName} (which users may not set themselves: {@code ConfPolicy}).
 */
public record PlacementTemplates(NameTemplate namespace, NameTemplate serviceAccount, List<String> groups) {

    public static final String GROUP_CONF = "sparkgate.group";
    public static final String NAMESPACE_CONF = "spark.kubernetes.namespace";
    public static final String DRIVER_ACCOUNT_CONF = DriverServiceAccountStep.ACCOUNT_CONF;
    public static final String EXECUTOR_ACCOUNT_CONF = "spark.kubernetes.authenticate.executor.serviceAccountName";

    public static final PlacementTemplates NONE = new PlacementTemplates(null, null, List.of());

    public PlacementTemplates {
        groups = List.copyOf(groups);
    }

    public static PlacementTemplates fromEnvironment(Map<String, String> env) {
        return new PlacementTemplates(template(env, "SPARKGATE_NAMESPACE_TEMPLATE"),
                template(env, "SPARKGATE_SERVICE_ACCOUNT_TEMPLATE"),
                Arrays.stream(env.getOrDefault("SPARKGATE_PLACEMENT_GROUPS", "").split(","))
                        .map(String::trim).filter(g -> !g.isEmpty()).toList());
    }

    private static NameTemplate template(Map<String, String> env, String setting) {
        String value = env.get(setting);
        return value == null || value.isBlank() ? null : NameTemplate.parse(setting, value.trim());
    }

    /** Whether any template is set (then every session's namespace is checked before its pods are made). */
    public boolean any() {
        return namespace != null || serviceAccount != null;
    }

    /**
     * The placement confs of a session of {@code owner} asking {@code conf}: none without templates; refuses an owner
     * the templates have no place for, saying why and what to do.
     */
    public Map<String, String> confFor(SessionOwner owner, Map<String, String> conf) {
        Map<String, String> placing = new LinkedHashMap<>();
        if (!any()) {
            return placing;
        }
        String user = needsUser() ? userOf(owner) : null;
        String group = needsGroup() ? groupOf(owner, conf) : null;
        if (namespace != null) {
            placing.put(NAMESPACE_CONF, namespace.render(user, group));
        }
        if (serviceAccount != null) {
            String account = serviceAccount.render(user, group);
            placing.put(DRIVER_ACCOUNT_CONF, account);
            placing.put(EXECUTOR_ACCOUNT_CONF, account);
        }
        return placing;
    }

    private boolean needsUser() {
        return (namespace != null && namespace.needsUser()) || (serviceAccount != null && serviceAccount.needsUser());
    }

    private boolean needsGroup() {
        return (namespace != null && namespace.needsGroup()) || (serviceAccount != null && serviceAccount.needsGroup());
    }

    /** The templates as the operator wrote them, for refusals. */
    private String described() {
        return (namespace == null ? "" : namespace.setting() + "=" + namespace.template())
                + (namespace != null && serviceAccount != null ? ", " : "")
                + (serviceAccount == null ? "" : serviceAccount.setting() + "=" + serviceAccount.template());
    }

    private String userOf(SessionOwner owner) {
        if (owner.name() == null || owner.name().isBlank()) {
            throw new NotPermitted("Sessions are placed by user here (" + described() + "), and this request has no "
                    + "user: sign in (a token, the users file, OIDC, JupyterHub) to create a session.");
        }
        return owner.name();
    }

    private String groupOf(SessionOwner owner, Map<String, String> conf) {
        String who = owner.name() == null || owner.name().isBlank() ? "an anonymous request" : "you (" + owner.name() + ")";
        String asked = conf.get(GROUP_CONF);
        String yours = owner.groups().isEmpty() ? "none the gateway knows (a session made for another user, through "
                + "proxyUser or KERNEL_USERNAME, has the groups SPARKGATE_USERS_FILE gives that user, else none)"
                : String.join(", ", new TreeSet<>(owner.groups()));
        if (asked != null && !asked.isBlank()) {
            asked = asked.trim();
            if (!owner.groups().contains(asked)) {
                throw new NotPermitted("This session asks for group '" + asked + "' (" + GROUP_CONF + "), but "
                        + who + " are not in it; your groups: " + yours + ". Ask for one of yours, or leave "
                        + GROUP_CONF + " out.");
            }
            if (!groups.isEmpty() && !groups.contains(asked)) {
                throw new NotPermitted("Group '" + asked + "' (" + GROUP_CONF + ") has no place for sessions here: "
                        + "the groups that have one are " + String.join(", ", groups) + " (SPARKGATE_PLACEMENT_GROUPS).");
            }
            return asked;
        }
        if (!groups.isEmpty()) {
            Optional<String> first = groups.stream().filter(owner.groups()::contains).findFirst();
            return first.orElseThrow(() -> new NotPermitted("Sessions are placed by group here (" + described()
                    + "), and " + who + " are in none of the groups that have a place (" + String.join(", ", groups)
                    + "; SPARKGATE_PLACEMENT_GROUPS); your groups: " + yours + ". Ask the operator to add you to one."));
        }
        if (owner.groups().size() == 1) {
            return owner.groups().iterator().next();
        }
        if (owner.groups().isEmpty()) {
            throw new NotPermitted("Sessions are placed by group here (" + described() + "), and " + who
                    + " are in no group the gateway knows (a session made for another user, through proxyUser or "
                    + "KERNEL_USERNAME, has the groups SPARKGATE_USERS_FILE gives that user, else none). Ask the "
                    + "operator to add you to a group, or create the session as yourself.");
        }
        throw new BadRequest("Sessions are placed by group here (" + described() + "), and " + who + " are in "
                + "several: " + yours + ". Name the one this session is for with the conf " + GROUP_CONF
                + " (e.g. \"conf\": {\"" + GROUP_CONF + "\": \"" + new TreeSet<>(owner.groups()).first() + "\"}).");
    }
}
