// A static file server for the built site (tests/a11y.rs and bench/lighthouse.sh): serves DIR on
// 127.0.0.1:PORT, gzip-compressing text responses as a production host would, with long caching
// for CSS/JS/SVG. Prints "ready" once listening. With EXIT_ON_STDIN_END=1 it exits when its
// standard input closes (its parent ended), so a test never leaves it behind.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { gzipSync } from "node:zlib";

const [dir, port] = process.argv.slice(2);
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml", ".csv": "text/csv", ".txt": "text/plain" };
createServer(async (req, res) => {
  let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (path.includes("..")) { res.writeHead(400).end(); return; }
  let file = join(dir, path);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const body = await readFile(file);
    const type = types[extname(file)] || "application/octet-stream";
    const headers = { "content-type": type, "cache-control": /\.(css|js|svg)$/.test(file) ? "max-age=31536000" : "no-cache" };
    if (/gzip/.test(req.headers["accept-encoding"] || "") && /text|json|xml|svg|javascript/.test(type)) {
      res.writeHead(200, { ...headers, "content-encoding": "gzip", vary: "accept-encoding" }).end(gzipSync(body));
    } else {
      res.writeHead(200, headers).end(body);
    }
  } catch {
    const body = await readFile(join(dir, "404.html")).catch(() => "not found");
    res.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end(body);
  }
}).listen(Number(port), "127.0.0.1", () => console.log("ready"));
if (process.env.EXIT_ON_STDIN_END === "1") {
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
}
