// Bench-only preload (`--expose-gc --require <this file>`, for the relay through
// NODE_OPTIONS, for the bench's own servers from spawnBenchServer): lets the
// bench ask a server process for a full GC with SIGUSR2 before it reads RSS,
// the same way for every target, without touching relay code.
// After the GC it prints process.memoryUsage() on one line (the idle scenario
// reads it for the JS heap per connection beside RSS), and with
// $BENCH_HEAP_SNAPSHOT_DIR set it also writes a heap snapshot there.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  process.stderr.write(`${JSON.stringify({ benchMemoryUsage: process.memoryUsage() })}\n`);
  const dir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
  if (dir) require('node:v8').writeHeapSnapshot(`${dir}/relay-${process.pid}-${Date.now()}.heapsnapshot`);
});
