"""OpenAPI `links`: where the id a create (or list) operation returns is used next.

Client tooling and schemathesis' stateful phase follow them: a recipe from the list starts a cooking session,
the session id drives step events, timers, navigation and completion, an upload's analysis id reads it back and
takes notes. Keyed by operationId; a test checks that every operationId named here exists.
"""

from __future__ import annotations

from typing import Any

SESSION = {"session_id": "$response.body#/id"}
SESSION_OF_REQUEST = {"session_id": "$request.path.session_id"}
ANALYSIS = {"analysis_id": "$response.body#/id"}


def _link(operation_id: str, description: str, **fields: Any) -> dict[str, Any]:
    link: dict[str, Any] = {"operationId": operation_id, "description": description}
    link.update({key: value for key, value in fields.items() if value is not None})
    return link


def _session_links() -> dict[str, dict[str, Any]]:
    return {
        "GetSession": _link("cooking_session_get", "Read the session", parameters=SESSION),
        "RecordStepEvent": _link(
            "cooking_step_event",
            "Record a step event on the session's current step",
            requestBody={"sessionId": "$response.body#/id", "stepNumber": "$response.body#/currentStep"},
        ),
        "ListStepEvents": _link("cooking_events_list", "The session's step events", parameters=SESSION),
        "GetGuidance": _link("cooking_guidance_get", "Where the cook is", parameters=SESSION),
        "NextStep": _link("cooking_next", "Move to the next step", parameters=SESSION),
        "PreviousStep": _link("cooking_previous", "Move back a step", parameters=SESSION),
        "GotoStep": _link("cooking_goto", "Jump to a step", parameters=SESSION),
        "Pause": _link("cooking_pause", "Pause the session", parameters=SESSION),
        "Resume": _link("cooking_resume", "Resume the session", parameters=SESSION),
        "StartTimer": _link("cooking_timer_start", "Start a timer", parameters=SESSION),
        "ListTimers": _link("cooking_timers_list", "The session's timers", parameters=SESSION),
        "CheckTimers": _link("cooking_timers_check", "Timers that rang", parameters=SESSION),
        "Complete": _link("cooking_complete", "Finish the session", parameters=SESSION),
        "Abandon": _link("cooking_abandon", "Abandon the session", parameters=SESSION),
        "AnalyzeFailure": _link(
            "failure_analyze",
            "Upload a photo of the result, linked to this session's telemetry",
            requestBody={"cookingSessionId": "$response.body#/id"},
        ),
    }


def _analysis_links() -> dict[str, dict[str, Any]]:
    return {
        "GetAnalysis": _link("failure_analysis_get", "Read the analysis", parameters=ANALYSIS),
        "AddNote": _link("failure_note_add", "Add a note to the analysis", parameters=ANALYSIS),
        "Retry": _link("failure_analysis_retry", "Retry a pending analysis", parameters=ANALYSIS),
    }


# operationId → status → link name → link
LINKS: dict[str, dict[str, dict[str, dict[str, Any]]]] = {
    "recipes_list": {
        "200": {
            "GetFirstRecipe": _link(
                "recipes_get", "The first recipe of the page", parameters={"recipe_id": "$response.body#/items/0/id"}
            ),
            "CookFirstRecipe": _link(
                "cooking_start", "Cook the first recipe", requestBody={"recipeId": "$response.body#/items/0/id"}
            ),
        }
    },
    "recipes_get": {
        "200": {
            "CookRecipe": _link("cooking_start", "Cook this recipe", requestBody={"recipeId": "$response.body#/id"}),
            "RecipePairings": _link(
                "recipes_pairings", "Pairings for its ingredients", parameters={"recipe_id": "$response.body#/id"}
            ),
        }
    },
    "cooking_start": {"201": _session_links()},
    "cooking_session_get": {"200": _session_links()},
    "cooking_step_event": {
        "200": {
            "GetSession": _link(
                "cooking_session_get", "Read the session", parameters={"session_id": "$response.body#/sessionId"}
            ),
            "ListStepEvents": _link(
                "cooking_events_list", "The recorded events", parameters={"session_id": "$response.body#/sessionId"}
            ),
        }
    },
    "cooking_timer_start": {
        "201": {
            "CancelTimer": _link(
                "cooking_timer_cancel",
                "Cancel this timer",
                parameters={**SESSION_OF_REQUEST, "name": "$response.body#/name"},
            ),
            "ListTimers": _link("cooking_timers_list", "The session's timers", parameters=SESSION_OF_REQUEST),
        }
    },
    "failure_analyze": {"201": _analysis_links()},
    "failure_analysis_get": {"200": _analysis_links()},
    "failure_note_add": {
        "201": {
            "UpdateNote": _link(
                "failure_note_update",
                "Edit this note",
                parameters={"analysis_id": "$request.path.analysis_id", "note_id": "$response.body#/id"},
            ),
            "DeleteNote": _link(
                "failure_note_delete",
                "Delete this note",
                parameters={"analysis_id": "$request.path.analysis_id", "note_id": "$response.body#/id"},
            ),
        }
    },
}


def add_links(document: dict[str, Any]) -> None:
    """Attach LINKS to the responses of the operations that exist in the document."""
    by_id = {
        operation.get("operationId"): operation
        for operations in document.get("paths", {}).values()
        for operation in operations.values()
    }
    for operation_id, statuses in LINKS.items():
        operation = by_id.get(operation_id)
        if operation is None:
            continue
        for status, links in statuses.items():
            response = operation.get("responses", {}).get(status)
            if response is None:
                continue
            response["links"] = {name: link for name, link in links.items() if link["operationId"] in by_id}
