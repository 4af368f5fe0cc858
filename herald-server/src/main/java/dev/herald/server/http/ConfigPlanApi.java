package dev.herald.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.DesiredState;
import dev.herald.server.auth.Principal;
import dev.herald.server.config.ConfigPlan;
import dev.herald.server.config.ConfigPlanner;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Configuration as code: {@code POST /v1/config/plan} answers the changes that would bring the
 * stored configuration to the desired state in the body ({@link DesiredState}); {@code POST
 * /v1/config/apply} makes them and answers what it made. Both need {@code admin}. Secrets are
 * compared here and never answered ("secret changed"). Stateless; thread-safe.
 */
public final class ConfigPlanApi {
  /** 1,000 rules and their targets fit many times over. */
  private static final long MAX_BODY_BYTES = 32L * 1024 * 1024;

  private final ConfigPlanner planner;

  public ConfigPlanApi(ConfigPlanner planner) {
    this.planner = planner;
  }

  public void register(HttpRouting.Builder routing) {
    routing.post("/v1/config/plan", this::plan);
    routing.post("/v1/config/apply", this::apply);
  }

  private void plan(ServerRequest req, ServerResponse res) {
    ConfigPlan plan = planner.plan(desired(req), Principal.of(req));
    Http.send(res, 200, plan.toJson());
  }

  private void apply(ServerRequest req, ServerResponse res) {
    ConfigPlanner.Applied applied = planner.apply(desired(req), Principal.of(req));
    ObjectNode body = applied.plan().toJson();
    body.put("applied", applied.plan().changes().size());
    Http.send(res, 200, body);
  }

  private static DesiredState desired(ServerRequest req) {
    Http.requireJson(req);
    return DesiredState.parse(Http.parse(Http.readBody(req, MAX_BODY_BYTES))).orThrow();
  }
}
