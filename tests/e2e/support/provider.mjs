// A model provider that is there but broken: an HTTP server that answers every request with a 500, so a bot moved to
// it fails its heartbeats with a server error (its provider answers the probe, so it is "failing", not "unreachable").
import http from 'node:http';

export async function startBrokenProvider() {
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests++;
    request.resume();
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: 'the model server is broken (e2e)' }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
