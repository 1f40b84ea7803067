// Bench-only preload (NODE_OPTIONS="--expose-gc --require <this file>"): lets
// the bench ask a relay process for a full GC with SIGUSR2 before it reads
// RSS, exactly as the bench's own servers do, without touching relay code.
// After the GC it prints process.memoryUsage() on one line (bench/profile.ts
// reads it to split RSS into JS heap and buffers), and with
// $BENCH_HEAP_SNAPSHOT_DIR set it also writes a heap snapshot there.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  process.stderr.write(`${JSON.stringify({ benchMemoryUsage: process.memoryUsage() })}\n`);
  const dir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
  if (dir) require('node:v8').writeHeapSnapshot(`${dir}/relay-${process.pid}-${Date.now()}.heapsnapshot`);
});
