// What many would pick instead: a Socket.IO 4 broadcast server, WebSocket
// transport only (no long-polling), no compression. A member joins the room
// named in the handshake query; each 'f' event goes to the rest of the room.
// Bench-only: SIGUSR2 runs a full GC and prints process.memoryUsage() before a memory
// reading (bench/servers/gc-on-signal.cjs, which spawnBenchServer preloads).
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false, maxHttpBufferSize: 96 * 1024, serveClient: false });

io.on('connection', (socket) => {
  const room = String(socket.handshake.query.room ?? '');
  void socket.join(room);
  socket.on('f', (data) => socket.to(room).emit('f', data));
});

process.on('SIGTERM', () => process.exit(0));
http.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: http.address().port })));
