// Type declarations of the PlayConnect Sync client (hand-written; the source is plain ES modules).

/** The WebSocket subprotocol the client offers. */
export const SUBPROTOCOL: 'playconnect.v1';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Error codes of the server (docs/protocol.md) and of the client itself. */
export type ServerErrorCode =
  | 'bad_request' | 'unknown_op' | 'bad_room' | 'unknown_kind' | 'unknown_type' | 'bad_payload'
  | 'payload_too_large' | 'illegal_move' | 'not_your_turn' | 'spectator' | 'game_over' | 'clock_skew'
  | 'idempotency_conflict' | 'unauthenticated' | 'token_expired' | 'forbidden' | 'not_joined'
  | 'rate_limited' | 'overloaded' | 'no_owner' | 'outcome_unknown' | 'unavailable' | 'internal';
export type ClientErrorCode = 'timeout' | 'closed' | 'left' | 'invalid_argument' | 'bad_frame';
export type ErrorCode = ServerErrorCode | ClientErrorCode | (string & {});

export const ClientCodes: Readonly<{
  TIMEOUT: 'timeout';
  CLOSED: 'closed';
  LEFT: 'left';
  INVALID_ARGUMENT: 'invalid_argument';
}>;

export class PlayConnectError extends Error {
  constructor(code: ErrorCode, message: string, details?: {
    retry?: boolean; correlationId?: string; room?: string; closeCode?: number;
  });
  readonly name: 'PlayConnectError';
  /** The server's error code, or one of the client's own (`timeout`, `closed`, ...). */
  readonly code: ErrorCode;
  /** Whether the same operation (the same correlationId) may succeed if tried again. */
  readonly retry: boolean;
  /** The correlationId of the publish this error answers, if any. */
  readonly correlationId: string | null;
  /** The room the error concerns, if any. */
  readonly room: string | null;
  /** The WebSocket close code, when the error comes from the connection closing. */
  readonly closeCode?: number;
}

export interface BackoffOptions {
  /** First delay; default 250 ms. */
  initialDelayMs?: number;
  /** Largest delay; default 10 s. */
  maxDelayMs?: number;
  /** Growth per attempt; default 2. */
  multiplier?: number;
  /** Random share of each delay, 0..1; default 0.5 (a delay lies between half and all of the nominal one). */
  jitter?: number;
}

export const DEFAULT_BACKOFF: Readonly<Required<BackoffOptions>>;

/** The delay before retry number `attempt` (0-based). */
export function backoffDelay(attempt: number, options: Required<BackoffOptions>, random?: () => number): number;

export interface ConnectOptions {
  /** `ws://HOST:PORT/ws` or `wss://...`. */
  url: string | URL;
  /** A fixed token (JWT). Exactly one of `token` and `getToken`. */
  token?: string;
  /** Called for every connection and before the token expires; the fresh token is sent in an `auth` frame. */
  getToken?: () => string | Promise<string>;
  /** The WebSocket constructor; default the global one, else the `ws` package (Node). */
  WebSocket?: new (url: string, protocols?: string | string[]) => WebSocketLike;
  /** Subprotocols offered; default `['playconnect.v1']`. */
  protocols?: string[];
  /** Send the token as `?token=` instead of a first `auth` frame; default false (keeps it out of URL logs). */
  tokenInUrl?: boolean;
  /** Backoff and attempt limit for reconnecting, or false to never reconnect. */
  reconnect?: false | (BackoffOptions & { maxAttempts?: number });
  /** Decides, after a close the client would retry, whether to reconnect. */
  shouldReconnect?: (code: number, reason: string) => boolean;
  /** How long a publish may wait for its ack, across reconnects; default 15 s. */
  publishTimeoutMs?: number;
  /** Automatic retries of a publish the server answers with a retryable error; default 5. */
  publishRetries?: number;
  /** How long `presence()` waits; default 10 s. */
  requestTimeoutMs?: number;
  /** Silence after which the client sends `ping`; 0 turns heartbeats off; default 15 s. */
  heartbeatIntervalMs?: number;
  /** How long a `ping` may go unanswered before the connection counts as lost; default 10 s. */
  heartbeatTimeoutMs?: number;
  /** How long before expiry `getToken` is called to refresh; default 60 s (half the lifetime for short tokens). */
  refreshBeforeMs?: number;
  /** Token refusals in a row (close 4001/4002) before giving up; default 3. */
  maxAuthFailures?: number;
  /** Largest frame the client sends; default 69,632 bytes (the server's limit). */
  maxFrameBytes?: number;
  /** Random source for jitter, in [0, 1). */
  random?: () => number;
}

/** The part of the WebSocket API the client uses (browsers' and the `ws` package's both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'close', listener: () => void): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** The event envelope v1 (docs/schema/event-v1.json). */
export interface PlayConnectEvent<P = unknown> {
  v: 1;
  id: string;
  type: string;
  room: string;
  seq: number;
  epoch: string;
  ts: number;
  correlationId: string | null;
  traceparent: string | null;
  origin: { protocol: string; user: string } | null;
  payload: P;
}

export interface Position {
  epoch: string;
  seq: number;
}

export interface SyncInfo extends Position {
  room: string;
  /** True when the join resumed from the given position (the missed events follow); false after a snapshot. */
  recovered: boolean;
}

export interface JoinResult<S = unknown> extends SyncInfo {
  /** The snapshot's state, when the join was not a resume. */
  state?: S;
}

export interface Member {
  user: string;
  protocol: string;
  connectionId: string;
}

export interface PresenceUpdate {
  room: string;
  /** Every member as of this update. */
  members: Member[];
  joined?: Member;
  left?: Member;
}

export interface JoinOptions<S = unknown, P = unknown> {
  /** Every event, once, in seq order. */
  onEvent?: (event: PlayConnectEvent<P>) => void;
  /** The room's whole state; replaces what the caller held (also after a reconnect that could not resume). */
  onSnapshot?: (state: S, info: SyncInfo) => void;
  onPresence?: (update: PresenceUpdate) => void;
  /** Every `joined` answer, on the first join and on each resume. */
  onJoined?: (info: SyncInfo) => void;
  /** The server refused the join, or left the room for the client (a refreshed token without the scope). */
  onError?: (error: PlayConnectError) => void;
  /** Resume from a position held from before (with `epoch`): the missed events follow instead of a snapshot. */
  since?: number;
  epoch?: string;
}

export interface PublishOptions {
  /** Id for de-duplication (at most 128 characters); default a random one. Retrying with it never applies twice. */
  correlationId?: string;
  /** Overrides `publishTimeoutMs` for this publish. */
  timeoutMs?: number;
}

export interface Ack {
  room: string;
  seq: number;
  epoch: string;
  correlationId: string;
}

export interface ClientEvents {
  state: { state: ConnectionState; previous: ConnectionState; code?: number; reason?: string; attempt?: number; delayMs?: number };
  connecting: { attempt: number };
  open: { user: string | null; expiresAt: number | null; reconnected: boolean };
  reconnecting: { attempt: number; delayMs: number; code: number; reason: string };
  closed: { code: number; reason: string };
  authenticated: { user: string | null; expiresAt: number | null };
  /** A room saw a seq gap or another epoch and is joined again from its position. */
  resync: { room: string; epoch: string | null; seq: number | null; got: { epoch: string; seq: number } };
  error: unknown;
}

export class PlayConnectClient {
  private constructor();
  readonly state: ConnectionState;
  readonly user: string | null;
  readonly expiresAt: number | null;
  on<K extends keyof ClientEvents>(event: K, listener: (value: ClientEvents[K]) => void): () => void;
  off<K extends keyof ClientEvents>(event: K, listener: (value: ClientEvents[K]) => void): void;
  /** Resolves once open; rejects if the client closes first. */
  ready(): Promise<void>;
  join<S = unknown, P = unknown>(room: string, options?: JoinOptions<S, P>): Promise<JoinResult<S>>;
  leave(room: string): boolean;
  position(room: string): Position | null;
  members(room: string): Member[];
  publish(room: string, type: string, payload: unknown, options?: PublishOptions): Promise<Ack>;
  presence(room: string): Promise<Member[]>;
  close(code?: number, reason?: string): Promise<void>;
}

export function connect(options: ConnectOptions): PlayConnectClient;
