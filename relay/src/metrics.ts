import { DIRECT_PATHS, type DirectPath } from '../../protocol/src/messages/signal-path.js';

/** Aggregate counters only: no ids, no sizes per person, nothing linkable. */
export interface Metrics {
  roomsCreated: number;
  framesRelayed: number;
  deliveries: number;
  connectionsOpen: number;
  connectionsTotal: number;
  protocolErrors: number;
  /** HTTP answers with a 5xx status (the relay's own failures, not the client's). */
  httpErrors: number;
  /** Direct sessions by the path their clients reported (signal/socket.ts: one per socket, paired rooms only). */
  directPaths: Record<DirectPath, number>;
}

export const newMetrics = (): Metrics => ({
  roomsCreated: 0,
  framesRelayed: 0,
  deliveries: 0,
  connectionsOpen: 0,
  connectionsTotal: 0,
  protocolErrors: 0,
  httpErrors: 0,
  directPaths: { host: 0, srflx: 0, relay: 0, 'relay-fallback': 0 },
});

/** Values read at scrape time rather than counted. */
export interface Gauges {
  /** Rooms with at least one member connected to this instance. */
  roomsActive: number;
  uptimeSeconds: number;
  /** 1 while the relay drains on SIGTERM. */
  draining: boolean;
}

type Kind = 'counter' | 'gauge';

/** Every exported series: name, type, help and where its value comes from. Names follow Prometheus conventions. */
const SERIES: ReadonlyArray<[string, Kind, string, (m: Metrics, g: Gauges) => number]> = [
  ['ghostwire_connections_open', 'gauge', 'WebSocket connections open on this instance.', (m) => m.connectionsOpen],
  ['ghostwire_connections_total', 'counter', 'WebSocket connections accepted since start.', (m) => m.connectionsTotal],
  ['ghostwire_rooms_active', 'gauge', 'Rooms with a member connected to this instance.', (_m, g) => g.roomsActive],
  ['ghostwire_rooms_created_total', 'counter', 'Rooms registered through this instance since start.', (m) => m.roomsCreated],
  ['ghostwire_frames_relayed_total', 'counter', 'Frames accepted for fanout since start.', (m) => m.framesRelayed],
  ['ghostwire_deliveries_total', 'counter', 'Frame copies handed to member sockets since start.', (m) => m.deliveries],
  ['ghostwire_protocol_errors_total', 'counter', 'Typed error frames sent to clients since start.', (m) => m.protocolErrors],
  ['ghostwire_http_errors_total', 'counter', 'HTTP answers with a 5xx status since start.', (m) => m.httpErrors],
  ...DIRECT_PATHS.map(
    (p): [string, Kind, string, (m: Metrics) => number] => [
      `ghostwire_direct_sessions_${p.replace('-', '_')}_total`,
      'counter',
      `Direct-mode path reports "${p}" from paired /signal sockets since start (client-reported: the side that opened the channel, or that switched to the relay).`,
      (m) => m.directPaths[p],
    ],
  ),
  ['ghostwire_uptime_seconds', 'gauge', 'Seconds since this instance started.', (_m, g) => g.uptimeSeconds],
  ['ghostwire_draining', 'gauge', '1 while this instance drains for shutdown.', (_m, g) => (g.draining ? 1 : 0)],
];

/** The content type of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Renders the metrics in the Prometheus text format (no labels: nothing here may identify anyone). */
export function renderPrometheus(m: Metrics, g: Gauges): string {
  const out: string[] = [];
  for (const [name, kind, help, value] of SERIES) {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${kind}`, `${name} ${Math.max(0, value(m, g))}`);
  }
  return out.join('\n') + '\n';
}
