// Bench-only preload (NODE_OPTIONS="--expose-gc --require <this file>"): lets
// the bench ask a relay process for a full GC with SIGUSR2 before it reads
// RSS, exactly as the bench's own servers do, without touching relay code.
process.on('SIGUSR2', () => globalThis.gc?.());
