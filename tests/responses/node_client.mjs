// The openai Node SDK against Tianji's /v1/responses: one scenario per run, its result as
// one JSON line on stdout. Usage: node node_client.mjs <openai package dir> <base url> <scenario>
import { pathToFileURL } from "node:url";
import path from "node:path";

const [sdkDir, baseURL, scenario] = process.argv.slice(2);
const { default: OpenAI } = await import(pathToFileURL(path.join(sdkDir, "index.mjs")).href);
const client = new OpenAI({ baseURL, apiKey: "none", maxRetries: 0, timeout: 30000 });

async function run() {
  if (scenario === "create") {
    const response = await client.responses.create({
      model: "auto", input: "Say hello", instructions: "Be brief.",
    });
    return { id: response.id, text: response.output_text, status: response.status,
             usage: response.usage };
  }
  if (scenario === "stream") {
    const stream = client.responses.stream({ model: "auto", input: "Say hello" });
    const types = [];
    let deltas = "";
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") deltas += event.delta;
    }
    const final = await stream.finalResponse();
    return { types, deltas, text: final.output_text, id: final.id };
  }
  if (scenario === "stream-true") {
    const types = [];
    for await (const event of await client.responses.create({
      model: "auto", input: "Say hello", stream: true,
    })) {
      types.push(event.type);
    }
    return { types };
  }
  if (scenario === "store") {
    await client.responses.create({ model: "auto", input: "hi", store: true });
    return { raised: false };
  }
  if (scenario === "interrupted") {
    let deltas = "";
    for await (const event of await client.responses.create({
      model: "auto", input: "Say hello", stream: true,
    })) {
      if (event.type === "response.output_text.delta") deltas += event.delta;
    }
    return { raised: false, deltas };
  }
  throw new Error(`unknown scenario ${scenario}`);
}

try {
  console.log(JSON.stringify({ ok: true, ...(await run()) }));
} catch (err) {
  console.log(JSON.stringify({
    ok: false, name: err.constructor.name, status: err.status ?? null,
    message: String(err.message), error: err.error ?? null,
  }));
}
