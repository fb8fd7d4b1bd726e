// An LSP session with yaml-language-server (stdio), as an editor would
// hold it: a spec with mistakes gets diagnostics on the right lines, and
// completion inside a function offers the schema's keys.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const schemaURL = pathToFileURL(path.resolve(here, "../../schema/pyspec.schema.json")).href;

// A minimal LSP client: Content-Length framing, requests with ids,
// notifications by method, and answers to the server's own requests.
class Client {
  constructor() {
    this.proc = spawn(process.execPath, [path.join(here, "node_modules/yaml-language-server/bin/yaml-language-server"), "--stdio"], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    this.buf = Buffer.alloc(0);
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    this.proc.stdout.on("data", (chunk) => this.receive(chunk));
  }
  receive(chunk) {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const end = this.buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, end).toString())[1]);
      if (this.buf.length < end + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(end + 4, end + 4 + len).toString());
      this.buf = this.buf.subarray(end + 4 + len);
      this.dispatch(msg);
    }
  }
  dispatch(msg) {
    if (msg.id !== undefined && msg.method) {
      // The server asks: configuration gets our settings, the rest null.
      const result = msg.method === "workspace/configuration" ? msg.params.items.map(() => settings.yaml) : null;
      this.send({ jsonrpc: "2.0", id: msg.id, result });
    } else if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      msg.error ? p.reject(new Error(JSON.stringify(msg.error))) : p.resolve(msg.result);
    } else {
      for (const l of this.listeners) l(msg);
    }
  }
  send(msg) {
    const body = Buffer.from(JSON.stringify(msg));
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }
  request(method, params) {
    const id = this.nextId++;
    this.send({ jsonrpc: "2.0", id, method, params });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }
  notify(method, params) {
    this.send({ jsonrpc: "2.0", method, params });
  }
  waitFor(pred, ms = 20000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for the server")), ms);
      this.listeners.push((msg) => {
        if (pred(msg)) {
          clearTimeout(timer);
          resolve(msg);
        }
      });
    });
  }
}

const settings = { yaml: { validate: true, completion: true, hover: true, format: { enable: false }, schemaStore: { enable: false }, schemas: {} } };

const client = new Client();
after(() => client.proc.kill());

async function start() {
  await client.request("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(here).href,
    capabilities: {
      textDocument: { completion: { completionItem: { snippetSupport: true } }, publishDiagnostics: {} },
      workspace: { configuration: true },
    },
  });
  client.notify("initialized", {});
  client.notify("workspace/didChangeConfiguration", { settings });
}
const started = start();

function open(name, text) {
  const uri = `file:///tmp/pyspec-lsp/${name}`;
  client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
  return uri;
}

test("diagnostics for a spec with mistakes", async () => {
  await started;
  const text = [
    `# yaml-language-server: $schema=${schemaURL}`,
    "module: demo",
    "colour: blue",
    "functions:",
    "  sum:",
    "    args:",
    "      buf: {type: buffer, elem: int65}",
    "    nogil: perhaps",
    "",
  ].join("\n");
  const uri = open("mistakes.yaml", text);
  const msg = await client.waitFor((m) => m.method === "textDocument/publishDiagnostics" && m.params.uri === uri && m.params.diagnostics.length > 0);
  const byLine = new Map(msg.params.diagnostics.map((d) => [d.range.start.line, d.message]));
  assert.match(byLine.get(2) ?? "", /colour is not allowed/i, JSON.stringify([...byLine]));
  assert.match(byLine.get(6) ?? "", /Value must be .*"int64"/, JSON.stringify([...byLine]));
  assert.match(byLine.get(7) ?? "", /boolean/i, JSON.stringify([...byLine]));
  assert.equal(msg.params.diagnostics.length, 3, JSON.stringify(msg.params.diagnostics.map((d) => d.message)));
});

test("completion inside functions offers the schema's keys", async () => {
  await started;
  const text = [`# yaml-language-server: $schema=${schemaURL}`, "module: demo", "functions:", "  add:", "    ", ""].join("\n");
  const uri = open("complete.yaml", text);
  const result = await client.request("textDocument/completion", { textDocument: { uri }, position: { line: 4, character: 4 } });
  const labels = (Array.isArray(result) ? result : result.items).map((i) => i.label);
  for (const key of ["args", "returns", "doc", "nogil", "go", "examples"]) {
    assert.ok(labels.includes(key), `${key} not offered: ${JSON.stringify(labels)}`);
  }
});

test("completion of a buffer flag offers CPython's request names", async () => {
  await started;
  const text = [`# yaml-language-server: $schema=${schemaURL}`, "module: demo", "functions:", "  f:", "    args:", "      b:", "        type: buffer", "        flags: ", ""].join("\n");
  const uri = open("flags.yaml", text);
  const result = await client.request("textDocument/completion", { textDocument: { uri }, position: { line: 7, character: 15 } });
  const labels = (Array.isArray(result) ? result : result.items).map((i) => i.label);
  for (const flag of ["ND", "STRIDES", "WRITABLE", "C_CONTIGUOUS", "FULL_RO"]) {
    assert.ok(labels.includes(flag), `${flag} not offered: ${JSON.stringify(labels)}`);
  }
});
