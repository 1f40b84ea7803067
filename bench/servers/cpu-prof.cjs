// Bench-only preload (bench/profile.ts): `node --cpu-prof` is not allowed in
// NODE_OPTIONS, and the relay is started as `node dist/relay/main.js`, so this
// starts V8's sampling profiler through the inspector at load and writes a
// .cpuprofile into $BENCH_CPU_PROF_DIR when the process exits.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // Same-thread inspector sessions answer synchronously, so this completes inside 'exit'.
  process.on('exit', () => {
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(join(dir, `relay-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
