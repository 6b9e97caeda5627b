// The mobile app's main flow against a live ChefMentor X server, written only against the types that
// openapi-typescript generated from /openapi.json (src/schema.d.ts): no casts, no `any`.
//
//   node dist/flow.js <baseUrl> <photo.jpg>
//
// demo start → recipes → detail → cooking start → step events with telemetry → timers → complete →
// photo upload → analysis → note → profile → history. Prints one JSON line with what it saw.
import { readFile } from "node:fs/promises";
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];
type UploadForm = Schemas["FailureAnalyzeForm"];

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8000";
const photoPath = process.argv[3] ?? "photo.jpg";

function need<T>(value: T | undefined, what: string, error?: unknown): T {
  if (value === undefined) {
    throw new Error(`${what} failed: ${JSON.stringify(error)}`);
  }
  return value;
}

function check(condition: boolean, what: string): void {
  if (!condition) {
    throw new Error(`unexpected: ${what}`);
  }
}

function uploadForm(form: UploadForm): FormData {
  const body = new FormData();
  body.append("file", form.file, "dish.jpg");
  if (form.dish !== undefined) body.append("dish", form.dish);
  if (form.notes !== undefined) body.append("notes", form.notes);
  if (form.cookingSessionId !== undefined) body.append("cookingSessionId", form.cookingSessionId);
  return body;
}

async function main(): Promise<void> {
  const anonymous = createClient<paths>({ baseUrl });
  const demo = await anonymous.POST("/api/demo/start");
  const token: Schemas["DemoStartResponse"] = need(demo.data, "demo start", demo.error);
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token.accessToken}` } });

  const list = await api.GET("/api/recipes", { params: { query: { limit: 5, offset: 0 } } });
  const page = need(list.data, "recipes", list.error);
  const first = need(page.items[0], "a recipe in the list");

  const detail = await api.GET("/api/recipes/{recipe_id}", { params: { path: { recipe_id: first.id } } });
  const recipe: Schemas["RecipeRead"] = need(detail.data, "recipe detail", detail.error);
  check(recipe.steps.length > 0, "the recipe has steps");

  const start = await api.POST("/api/cooking/start", { body: { recipeId: recipe.id } });
  const session: Schemas["CookingSessionRead"] = need(start.data, "cooking start", start.error);
  const sessionPath = { params: { path: { session_id: session.id } } };

  let guidance: Schemas["GuidanceRead"] | undefined;
  for (const step of recipe.steps) {
    const started: Schemas["StepEventCreate"] = {
      sessionId: session.id,
      stepNumber: step.stepNumber,
      event: "started",
      eventId: `step-${step.stepNumber}-started`,
    };
    const begun = await api.POST("/api/cooking/step-event", { body: started });
    need(begun.data, "step started", begun.error);
    const telemetry: Schemas["StepEventData"] = { heat: "high", text: `step ${step.stepNumber} looked done early` };
    const done = await api.POST("/api/cooking/step-event", {
      body: { sessionId: session.id, stepNumber: step.stepNumber, event: "completed", data: telemetry },
    });
    guidance = need(done.data, "step completed", done.error);
  }
  check(guidance?.allStepsDone === true, "every step done");

  const timer = await api.POST("/api/cooking/sessions/{session_id}/timers", {
    ...sessionPath,
    body: { name: "rest", seconds: 120 },
  });
  const created: Schemas["TimerRead"] = need(timer.data, "timer start", timer.error);
  const listed = await api.GET("/api/cooking/sessions/{session_id}/timers", sessionPath);
  const timers = need(listed.data, "timers", listed.error);
  check(timers.some((item) => item.name === created.name && item.status === "running"), "timer running");
  const cancelled = await api.DELETE("/api/cooking/sessions/{session_id}/timers/{name}", {
    params: { path: { session_id: session.id, name: created.name } },
  });
  check(need(cancelled.data, "timer cancel", cancelled.error).status === "cancelled", "timer cancelled");

  const completed = await api.POST("/api/cooking/sessions/{session_id}/complete", sessionPath);
  check(need(completed.data, "complete", completed.error).status === "completed", "session completed");

  const photo = new Blob([await readFile(photoPath)], { type: "image/jpeg" });
  const form: UploadForm = { file: photo, dish: recipe.name, notes: "burnt outside", cookingSessionId: session.id };
  const upload = await api.POST("/api/failure/analyze", { body: form, bodySerializer: uploadForm });
  const analysis: Schemas["AnalysisRead"] = need(upload.data, "photo upload", upload.error);

  const read = await api.GET("/api/failure/analyses/{analysis_id}", {
    params: { path: { analysis_id: analysis.id } },
  });
  const stored = need(read.data, "analysis", read.error);
  const category: Schemas["DiagnosisCategory"] | null = stored.category;

  const note = await api.POST("/api/failure/analyses/{analysis_id}/notes", {
    params: { path: { analysis_id: analysis.id } },
    body: { text: "Next time: medium heat." },
  });
  need(note.data, "note", note.error);

  const profile = await api.GET("/api/profile");
  const me: Schemas["ProfileRead"] = need(profile.data, "profile", profile.error);
  const history = await api.GET("/api/cooking/sessions", { params: { query: { limit: 10 } } });
  const sessions = need(history.data, "history", history.error);
  check(sessions.items.some((item) => item.id === session.id), "the session is in the history");

  console.log(
    JSON.stringify({
      recipe: recipe.name,
      steps: recipe.steps.length,
      session: session.id,
      analysis: analysis.id,
      status: stored.status,
      category,
      notes: stored.notes.length + 1,
      sessionsCooked: me.stats.sessionsCooked,
      editable: me.editable,
      history: sessions.total,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
