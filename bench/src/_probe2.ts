import * as http from "node:http"
import { request, Agent } from "undici"
const server = http.createServer((req, res) => { req.resume(); req.on("end", () => { res.writeHead(200, {"content-type":"application/json"}); res.end("{}") }) })
await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
const port = (server.address() as any).port
const baseUrl = `http://127.0.0.1:${port}`
const body = JSON.stringify({ events: Array.from({ length: 100 }, (_, i) => ({ event_name: "x", payload: { a: String(i) }, identifier: crypto.randomUUID() })) })
const N = 200
const pool = async (f: () => Promise<unknown>) => { let n = 0; await Promise.all(Array.from({ length: 16 }, async () => { while (n++ < N) await f() })) }
const agent = new Agent()
const keep = new http.Agent({ keepAlive: true })
for (const [name, f] of [
  ["undici.request", async () => { const r = await request(baseUrl + "/x", { method: "POST", body, headers: { "content-type": "application/json" }, dispatcher: agent }); await r.body.text() }],
  ["undici.request bytes", async () => { const r = await request(baseUrl + "/x", { method: "POST", body: new TextEncoder().encode(body), headers: { "content-type": "application/json" }, dispatcher: agent }); await r.body.text() }],
  ["fetch", async () => { const r = await fetch(baseUrl + "/x", { method: "POST", body, headers: { "content-type": "application/json" } }); await r.text() }],
  ["node http", () => new Promise<void>((res) => { const rq = http.request(baseUrl + "/x", { method: "POST", agent: keep, headers: { "content-type": "application/json" } }, (r) => { r.resume(); r.on("end", () => res()) }); rq.end(body) })],
] as const) {
  for (let k = 0; k < 3; k++) { const s = performance.now(); await pool(f); console.log(name, ((performance.now() - s) / N).toFixed(3)) }
}

server.close(); server.closeAllConnections(); await agent.close()
