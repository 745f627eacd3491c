"""The plan card: everything one debrief produced, in one message."""

from __future__ import annotations

from bot.services import Services
from bot.storage import Rejection


async def render_plan(services: Services, rejection: Rejection) -> str:
    """Render the plan of a debrief (what happened, lesson, feedback, gaps, resource, goal)."""
    debriefs = services.debriefs
    prompts = services.prompts
    feedback = await debriefs.feedback(rejection.id)
    goal = await debriefs.goal_for(rejection.id)
    return prompts.render(
        "plan/card",
        rejection=rejection,
        stage_name=prompts.label(f"stage.{rejection.stage}") if rejection.stage else None,
        feedback=feedback,
        gap_names=[prompts.label(f"gap.{g}") for g in rejection.gaps],
        strength_name=prompts.label(f"strength.{rejection.strength}")
        if rejection.strength
        else None,
        actions=await debriefs.plan_actions(rejection.id),
        resource=await debriefs.resource_pick(rejection.id),
        goal=goal,
        goal_kind_name=prompts.label(f"goal.{goal.kind}") if goal else None,
    )
