// The openai Node SDK against Tianji's /v1/chat/completions: one scenario per run, its result
// as one JSON line on stdout. Usage: node node_chat_client.mjs <openai package dir> <base url> <scenario>
import { pathToFileURL } from "node:url";
import path from "node:path";

const [sdkDir, baseURL, scenario] = process.argv.slice(2);
const { default: OpenAI } = await import(pathToFileURL(path.join(sdkDir, "index.mjs")).href);
const client = new OpenAI({ baseURL, apiKey: "none", maxRetries: 0, timeout: 30000 });
const messages = [{ role: "user", content: "Say hello" }];

async function run() {
  if (scenario === "create") {
    const { data, response } = await client.chat.completions
      .create({ model: "small", messages, user: "user-42" }).withResponse();
    return { text: data.choices[0].message.content, provider: response.headers.get("x-tianji-provider") };
  }
  if (scenario === "stream") {
    const stream = await client.chat.completions.create({
      model: "small", messages, stream: true, stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
    const last = chunks[chunks.length - 1];
    return { text, lastChoices: last.choices, usage: last.usage };
  }
  if (scenario === "json") {
    const completion = await client.chat.completions.create({
      model: "small", messages, response_format: { type: "json_object" },
    });
    return { content: completion.choices[0].message.content };
  }
  if (scenario === "n") {
    const completion = await client.chat.completions.create({ model: "small", messages, n: 2 });
    return { choices: completion.choices.length };
  }
  throw new Error(`unknown scenario ${scenario}`);
}

try {
  console.log(JSON.stringify({ ok: true, ...(await run()) }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, name: err.constructor.name, status: err.status,
                               error: err.error ?? String(err) }));
}
