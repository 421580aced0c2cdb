// A node that lies: a JSON-RPC endpoint on loopback that forwards everything to a real
// node and rewrites the answers a test picks, as a compromised or malicious RPC node
// would. For the tests of clients that must not believe what a node tells them.
import { WebSocket, WebSocketServer } from 'ws';

/**
 * Starts the liar in front of `upstreamUrl`. `lie(request)` sees each JSON-RPC request
 * (`{ method, params }`) and returns the result to answer instead of the real one, a
 * function from the real result to the answer (to doctor it), or `undefined` to pass the
 * real answer on. Resolves with its `url`, the `requests` it
 * forwarded (methods, in order) and `close()`.
 */
export async function startLyingNode(upstreamUrl, lie) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const requests = [];
  const sockets = new Set();
  server.on('connection', (client) => {
    const upstream = new WebSocket(upstreamUrl);
    sockets.add(client).add(upstream);
    const queued = [];
    const lies = new Map(); // request id -> the answer to give instead
    upstream.on('open', () => queued.splice(0).forEach((m) => upstream.send(m)));
    client.on('message', (data) => {
      const text = data.toString();
      const request = JSON.parse(text);
      requests.push(request.method);
      const answer = lie(request);
      if (answer !== undefined) lies.set(request.id, answer);
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else queued.push(text);
    });
    upstream.on('message', (data) => {
      const reply = JSON.parse(data.toString());
      if (reply.id !== undefined && lies.has(reply.id)) {
        const lie = lies.get(reply.id);
        reply.result = typeof lie === 'function' ? lie(reply.result) : lie;
        lies.delete(reply.id);
        delete reply.error;
      }
      client.send(JSON.stringify(reply));
    });
    client.on('close', () => upstream.close());
    upstream.on('close', () => client.close());
    upstream.on('error', () => client.close());
  });
  return {
    url: `ws://127.0.0.1:${server.address().port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.terminate();
        server.close(resolve);
      }),
  };
}
