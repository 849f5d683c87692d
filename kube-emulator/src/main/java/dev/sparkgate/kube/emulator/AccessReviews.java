package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The emulated cluster's answer to "may I?" ({@code SelfSubjectAccessReview}). For the administrator (the kubeconfig's
 * token) everything is allowed except what a test denied; denials only shape these answers, the administrator's
 * requests themselves are never refused. For a service account the answer is RBAC's, from the same rules the API
 * server enforces on its requests ({@link RbacAuthorizer}).
 */
public final class AccessReviews {

  /**
   * One denied permission. {@code resource} may name a subresource the way RBAC rules do ({@code pods/log});
   * a null {@code namespace} denies it in every namespace.
   */
  public record Denial(String verb, String resource, String namespace, String reason) {
    public Denial {
      Objects.requireNonNull(verb, "verb");
      Objects.requireNonNull(resource, "resource");
      Objects.requireNonNull(reason, "reason");
    }

    boolean matches(ResourceAttributes asked) {
      String askedResource = asked.getSubresource() == null || asked.getSubresource().isEmpty()
          ? asked.getResource()
          : asked.getResource() + "/" + asked.getSubresource();
      return (verb.equals("*") || verb.equals(asked.getVerb()))
          && (resource.equals("*") || resource.equals(askedResource))
          && (namespace == null || namespace.equals(asked.getNamespace()));
    }
  }

  private final List<Denial> denials = new CopyOnWriteArrayList<>();

  public void deny(Denial denial) {
    denials.add(denial);
  }

  /** Allows everything again. */
  public void clear() {
    denials.clear();
  }

  /** Answers a review the way the API server does: the review back, with its status filled in. */
  SelfSubjectAccessReview answer(SelfSubjectAccessReview review) {
    ResourceAttributes asked = review.getSpec() == null ? null : review.getSpec().getResourceAttributes();
    Optional<Denial> denial = asked == null
        ? Optional.empty()
        : denials.stream().filter(d -> d.matches(asked)).findFirst();
    review.setStatus(new SubjectAccessReviewStatusBuilder()
        .withAllowed(denial.isEmpty())
        .withReason(denial.map(Denial::reason).orElse(null))
        .build());
    return review;
  }

  String answer(String reviewJson, Optional<ServiceAccountTokens.ServiceAccount> caller, RbacAuthorizer rbac) {
    SelfSubjectAccessReview review = Serialization.unmarshal(reviewJson, SelfSubjectAccessReview.class);
    if (caller.isEmpty()) {
      return Serialization.asJson(answer(review));
    }
    ResourceAttributes asked = review.getSpec() == null ? null : review.getSpec().getResourceAttributes();
    RbacAuthorizer.Decision decision = asked == null
        ? new RbacAuthorizer.Decision(false, "only resource attributes are reviewed by the emulation")
        : rbac.authorize(caller.get(), new RequestAttributes(asked.getVerb(),
            Optional.ofNullable(asked.getGroup()).orElse(""), asked.getResource(),
            asked.getSubresource() == null || asked.getSubresource().isEmpty() ? null : asked.getSubresource(),
            asked.getName() == null || asked.getName().isEmpty() ? null : asked.getName(), asked.getNamespace()));
    review.setStatus(new SubjectAccessReviewStatusBuilder()
        .withAllowed(decision.allowed())
        .withReason(decision.reason().isEmpty() ? null : decision.reason())
        .build());
    return Serialization.asJson(review);
  }
}
