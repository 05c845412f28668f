// A bare attach to /dev/null, in a Node process of its own (as the app's is): the log bench's
// baseline. Argv: engine host (unix:///…), image, shell command. Prints one JSON line: the
// wall time from the start call to the stream's end and the container's exit, the bytes taken
// (frames and all), and this process's CPU over the same span.
import { Writable } from 'node:stream';
import Docker from 'dockerode';

const [host, image, command] = process.argv.slice(2) as [string, string, string];
const docker = new Docker({ socketPath: host.replace(/^unix:\/\//, '') });
const c = await docker.createContainer({ Image: image, Cmd: ['sh', '-c', command], HostConfig: { NetworkMode: 'none', Init: true } });
try {
  const stream = (await c.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
  let bytes = 0;
  const devNull = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      cb();
    },
  });
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  // Frames and all: the cheapest way to take every byte off the engine.
  stream.pipe(devNull);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await c.start();
  await Promise.all([ended, c.wait()]);
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ ms: performance.now() - t0, bytes, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
} finally {
  await c.remove({ force: true }).catch(() => undefined);
}
