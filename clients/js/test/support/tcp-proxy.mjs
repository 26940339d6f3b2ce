// A TCP proxy between a client (a browser, or the Node client) and the server, to cut the network
// on purpose: `cut()` drops every connection at once without a close frame, as a lost network does,
// and `hold()` stops passing the server's bytes on, as a stalled path does.
import net from 'node:net';

export class TcpProxy {
  #server;
  #pairs = new Set();
  #target;
  holding = false;
  connections = 0;

  static async start(targetUrl) {
    const proxy = new TcpProxy();
    const url = new URL(targetUrl);
    proxy.#target = { host: url.hostname, port: Number(url.port) };
    proxy.#server = net.createServer((socket) => proxy.#accept(socket));
    await new Promise((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port() {
    return this.#server.address().port;
  }

  /** The target URL with this proxy's port: `http://127.0.0.1:PORT` or `ws://.../ws`. */
  url(targetUrl) {
    const url = new URL(targetUrl);
    url.port = String(this.port);
    return url.toString().replace(/\/$/, '');
  }

  /** Drops every open connection (both sides reset) and ends a hold; new connections pass. */
  cut() {
    this.holding = false;
    for (const pair of this.#pairs) {
      pair.client.resetAndDestroy();
      pair.upstream.resetAndDestroy();
    }
    this.#pairs.clear();
  }

  /**
   * Drops the server's bytes instead of passing them on, until `cut()`: what was dropped leaves the
   * stream unusable, so a hold always ends with a cut, as a stalled path ends in a lost connection.
   */
  hold() {
    this.holding = true;
  }

  async stop() {
    this.cut();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #accept(client) {
    this.connections += 1;
    const upstream = net.connect(this.#target);
    const pair = { client, upstream };
    this.#pairs.add(pair);
    client.on('data', (data) => upstream.write(data));
    upstream.on('data', (data) => {
      if (!this.holding) {
        client.write(data);
      }
    });
    const end = () => {
      this.#pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }
}
