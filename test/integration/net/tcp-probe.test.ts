// The TCP probe on loopback: open, refused, reset-free timeout, connect-to mapping, and the sandbox
// refusing an unmapped address before any socket exists.
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { probeTcp, type TcpConnect } from '../../../src/gather/net/tcp.js';
import { FQDN, closedPort, startTcpServer, type Running } from './servers.js';

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const realConnect = () => vi.fn<TcpConnect>((options) => net.connect(options));

describe('probeTcp', () => {
  it('reports an open port with its connect time and the real destination', async () => {
    running = await startTcpServer();
    const connect = realConnect();
    const result = await probeTcp({ address: '127.0.0.1', port: running.port, names: [FQDN], config: { network: { connectTo: [], sandbox: true } }, timeoutMs: 5000, connect });
    expect(result.outcome).toBe('open');
    expect(result.connectMs).toBeGreaterThanOrEqual(0);
    expect(result.destination).toEqual({ host: '127.0.0.1', port: running.port, mapped: false });
    expect(connect).toHaveBeenCalledTimes(1);
  });

  it('reports a closed port as refused', async () => {
    const port = await closedPort();
    const result = await probeTcp({ address: '127.0.0.1', port, config: { network: { connectTo: [], sandbox: true } }, timeoutMs: 5000 });
    expect(result.outcome).toBe('refused');
    expect(result.error?.code).toBe('ECONNREFUSED');
  });

  it('refuses an unmapped private address in sandbox mode: net.connect is never called', async () => {
    const connect = realConnect();
    const result = await probeTcp({ address: '10.255.255.1', port: 443, names: [FQDN], config: { network: { connectTo: [], sandbox: true } }, timeoutMs: 5000, connect });
    expect(result.outcome).toBe('sandbox-refused');
    expect(result.error?.message).toBe('sandbox: 10.255.255.1:443 is not mapped by connect-to; refused without a connection attempt');
    expect(result.destination).toBeUndefined();
    expect(connect).not.toHaveBeenCalled();
  });

  it('refuses a connect-to rule that maps off loopback in sandbox mode', async () => {
    const connect = realConnect();
    const config = { network: { connectTo: [`${FQDN}:443:10.255.255.2:443`], sandbox: true } };
    const result = await probeTcp({ address: '10.255.255.1', port: 443, names: [FQDN], config, timeoutMs: 5000, connect });
    expect(result.outcome).toBe('sandbox-refused');
    expect(result.error?.message).toContain('not loopback');
    expect(connect).not.toHaveBeenCalled();
  });

  it('follows connect-to, by address or by the FQDN, and says the destination was mapped', async () => {
    running = await startTcpServer();
    for (const rule of [`10.255.255.1:443:127.0.0.1:${running.port}`, `${FQDN}:443:127.0.0.1:${running.port}`]) {
      const connect = realConnect();
      const config = { network: { connectTo: [rule], sandbox: true } };
      const result = await probeTcp({ address: '10.255.255.1', port: 443, names: [FQDN], config, timeoutMs: 5000, connect });
      expect(result.outcome).toBe('open');
      expect(result.destination).toEqual({ host: '127.0.0.1', port: running.port, mapped: true });
      expect(connect).toHaveBeenCalledWith({ host: '127.0.0.1', port: running.port });
    }
  });

  it('reports a connection that never completes as timeout', async () => {
    // A socket that is never connected stands for a firewall that drops SYNs; no packet is sent.
    let socket: net.Socket | undefined;
    const connect = vi.fn<TcpConnect>(() => (socket = new net.Socket()));
    const result = await probeTcp({ address: '127.0.0.1', port: 443, config: { network: { connectTo: [], sandbox: true } }, timeoutMs: 30, connect });
    expect(result.outcome).toBe('timeout');
    expect(result.error?.code).toBe('ETIMEDOUT');
    expect(socket?.destroyed).toBe(true);
  });

  it('reports an aborted probe as error, not as a network verdict', async () => {
    const connect = vi.fn<TcpConnect>(() => new net.Socket());
    const abort = new AbortController();
    abort.abort();
    const result = await probeTcp({ address: '127.0.0.1', port: 443, config: { network: { connectTo: [], sandbox: true } }, timeoutMs: 5000, signal: abort.signal, connect });
    expect(result.outcome).toBe('error');
    expect(result.error?.code).toBe('ABORT_ERR');
  });
});
