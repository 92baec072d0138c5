package dev.loki.deploy.plan;

import jakarta.validation.Valid;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** Plan previews: any signed-in caller may see how a template's hosts would be batched (reading the tree and assets as that caller). */
@RestController
class PlanController {

    private final PlanService plans;

    PlanController(PlanService plans) {
        this.plans = plans;
    }

    @PostMapping("/api/deploy/plans")
    Mono<Plan> plan(@Valid @RequestBody PlanRequest request) {
        return plans.plan(request);
    }
}
