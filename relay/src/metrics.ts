/** Aggregate counters only: no ids, no sizes per person, nothing linkable. */
export interface Metrics {
  roomsCreated: number;
  framesRelayed: number;
  deliveries: number;
  connectionsOpen: number;
  connectionsTotal: number;
  protocolErrors: number;
}

export const newMetrics = (): Metrics => ({
  roomsCreated: 0,
  framesRelayed: 0,
  deliveries: 0,
  connectionsOpen: 0,
  connectionsTotal: 0,
  protocolErrors: 0,
});
