import * as http from "http";
import type { AddressInfo } from "net";

export interface CapturedRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback HTTP server that records requests and answers with a fixed JSON body. */
export async function startCaptureServer(
  answer: { status: number; body: unknown } = { status: 200, body: { RequestId: "CAPTURE" } },
) {
  const requests: CapturedRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        url: new URL(req.url ?? "/", "http://capture"),
        headers: req.headers,
        body,
      });
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
