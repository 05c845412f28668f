import { describe, expect, it } from 'vitest';
import { engineClient } from '../../src/main/core/engines/client';

// docker-modem fills options not given from the process's DOCKER_HOST, and a host read there won
// over a socket path: with DOCKER_HOST=tcp://… the Podman socket engine dialled that address (seen
// on the Engines view: "unix:///run/podman/podman.sock: connect ECONNREFUSED 127.0.0.1:9").
describe('a socket engine with DOCKER_HOST set to tcp', () => {
  it('dials its own socket, over http', () => {
    const before = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:9';
    try {
      const { docker } = engineClient({ host: 'unix:///run/podman/podman.sock' });
      const modem = docker.modem as unknown as { socketPath?: string; host?: string; protocol?: string };
      expect(modem).toMatchObject({ socketPath: '/run/podman/podman.sock', protocol: 'http' });
      expect(modem.host).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = before;
    }
  });
});
