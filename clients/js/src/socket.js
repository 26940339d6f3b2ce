// The WebSocket underneath: which implementation, the URL with a token, and waiting for a close.

/** The WebSocket constructor to use: the injected one, the global one, else the `ws` package. */
export async function resolveWebSocket(injected) {
  if (injected) {
    return injected;
  }
  if (typeof globalThis.WebSocket === 'function') {
    return globalThis.WebSocket;
  }
  // A variable keeps bundlers from trying to pull the Node package into browser builds.
  const name = 'ws';
  try {
    const mod = await import(name);
    return mod.default ?? mod.WebSocket;
  } catch (error) {
    throw new Error('no WebSocket here: install the "ws" package or pass connect({WebSocket})', { cause: error });
  }
}

export function withToken(url, token) {
  const u = new URL(url);
  u.searchParams.set('token', token);
  return u.toString();
}

/** Resolves once `ws` is closed, or after a second (a peer that never answers the close). */
export function socketClosed(ws) {
  return new Promise((resolve) => {
    if (ws.readyState === 3) {
      resolve();
      return;
    }
    const timer = setTimeout(resolve, 1000);
    ws.addEventListener('close', () => { clearTimeout(timer); resolve(); });
  });
}
