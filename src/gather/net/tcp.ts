// The TCP probe: does a connection to the address on 443 open? Every attempt asks destinationFor
// first, so connect-to decides where it really goes and the sandbox refuses without sending a packet.
import net from 'node:net';
import type { ResolvedConfig } from '../../config/types.js';
import { destinationFor } from '../../net/destination.js';
import { waitForSocket, type ConnectFailure, type SocketError } from './socket.js';

/** Opens a TCP socket; injectable so tests can prove that a refused destination never reaches it. */
export type TcpConnect = (options: { host: string; port: number }) => net.Socket;

export const defaultTcpConnect: TcpConnect = (options) => net.connect(options);

export type TcpOutcome = 'open' | 'sandbox-refused' | ConnectFailure;

export interface ProbeDestination {
  host: string;
  port: number;
  /** true when a connect-to rule changed where the connection goes. */
  mapped: boolean;
}

export interface TcpProbeResult {
  /** The address the name resolved to, and the port asked for. */
  address: string;
  port: number;
  /** The names this address stands for (the FQDN). */
  names: string[];
  /** Where the connection really went (after connect-to); absent when refused by the sandbox. */
  destination?: ProbeDestination;
  outcome: TcpOutcome;
  connectMs?: number;
  error?: SocketError;
}

export interface TcpProbeInput {
  address: string;
  port: number;
  names?: string[];
  config: Pick<ResolvedConfig, 'network'>;
  timeoutMs: number;
  signal?: AbortSignal;
  connect?: TcpConnect;
}

export async function probeTcp(input: TcpProbeInput): Promise<TcpProbeResult> {
  const { result, socket } = await connectTcp(input);
  socket?.destroy();
  return result;
}

/**
 * The TCP probe, its socket left open when it connected (the TLS stage and the HTTPS request of the
 * same target go over it: one connection, timed stage by stage). The caller owns the socket.
 */
export async function connectTcp(input: TcpProbeInput): Promise<{ result: TcpProbeResult; socket?: net.Socket }> {
  const names = input.names ?? [];
  const base = { address: input.address, port: input.port, names };
  const destination = destinationFor(input.address, input.port, input.config, names);
  if (!destination.ok) return { result: { ...base, outcome: 'sandbox-refused', error: { code: 'SANDBOX', message: destination.reason } } };
  const dest = { host: destination.host, port: destination.port, mapped: destination.mapped };
  const socket = (input.connect ?? defaultTcpConnect)({ host: dest.host, port: dest.port });
  const ready = await waitForSocket(socket, 'connect', input.timeoutMs, input.signal);
  if (!ready.ok) return { result: { ...base, destination: dest, outcome: ready.outcome, connectMs: ready.ms, error: ready.error } };
  return { result: { ...base, destination: dest, outcome: 'open', connectMs: ready.ms }, socket };
}
