// The proxy every dynoform run of the soak talks to, in front of the
// emulator (the other client goes to the emulator directly). It passes
// everything through, and a phase can arm it to:
// - hold the first write (and everything after it) until another client's
//   edits are done: the edits then land after apply re-derived its plan and
//   before its first write, exactly where only the write guards can catch
//   them, however many writes apply sends at once;
// - echo the API token back in every response, as a hostile or careless
//   server might: in `Warning-Message` (raw and as a Basic credential) and
//   in `Request-Id`, which dynoform prints, so the scan proves it scrubs them.
import http from 'node:http';

export async function startSoakProxy(target) {
  const up = new URL(target);
  let holdNextWrite;
  let held = Promise.resolve();
  let echoToken;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      if (holdNextWrite && method !== 'GET' && method !== 'HEAD') {
        const run = holdNextWrite;
        holdNextWrite = undefined;
        held = run().catch(() => undefined);
      }
      void held.then(() => forward(method, req, Buffer.concat(chunks), res));
    });
  });
  const forward = (method, req, body, res) => {
    const fwd = http.request({ host: up.hostname, port: up.port, method, path: req.url, headers: { ...req.headers, host: up.host } }, (ures) => {
      const headers = { ...ures.headers };
      delete headers.connection;
      if (echoToken !== undefined) {
        const basic = Buffer.from(`user:${echoToken}`).toString('base64');
        headers['warning-message'] = `token ${echoToken} (Basic ${basic}) is deprecated`;
        headers['request-id'] = `req-${echoToken}`;
      }
      res.writeHead(ures.statusCode ?? 502, headers);
      ures.pipe(res);
    });
    // A connection the emulator dropped (a fault) is dropped here too.
    fwd.on('error', () => res.socket?.destroy());
    fwd.end(body);
  };
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    /** Runs `fn` when the next write arrives, forwarding nothing until it is done. */
    holdNextWrite(fn) {
      holdNextWrite = fn;
    },
    /** Echo this token in every response from now on (undefined: stop). */
    echo(token) {
      echoToken = token;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
