// The baseline: the least a WebSocket broadcast server can do with `ws`.
// A member joins the room named in ?room= on connect; every text message is
// handed, as the same Buffer, to every other member of its room. No parsing,
// no acks, no limits: near the kernel's own cost of writing the frames.
// Bench-only: SIGUSR2 runs a full GC and prints process.memoryUsage() before a memory
// reading (bench/servers/gc-on-signal.cjs, which spawnBenchServer preloads).
import { WebSocketServer } from 'ws';

const rooms = new Map();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 96 * 1024 });

wss.on('connection', (ws, req) => {
  const room = new URL(req.url ?? '/', 'http://bench').searchParams.get('room') ?? '';
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Set()));
  members.add(ws);
  ws.on('message', (data, isBinary) => {
    for (const peer of members) if (peer !== ws) peer.send(data, { binary: isBinary });
  });
  ws.on('close', () => {
    members.delete(ws);
    if (members.size === 0) rooms.delete(room);
  });
});

process.on('SIGTERM', () => process.exit(0));
wss.on('listening', () => console.log(JSON.stringify({ port: wss.address().port })));
