import { describe, expect, it } from 'vitest';
import { mergeEnv, nameFromImage, parseDockerRun, parseEnvFile } from '../../src/shared/dockerRun';
import { TemplateSpecChecked } from '../../src/shared/template';

const spec = (line: string) => {
  const r = parseDockerRun(line);
  expect(r.errors).toEqual([]);
  return r.spec!;
};

describe('parseDockerRun: real-world command lines', () => {
  it.each([
    ['docker run busybox', { name: 'busybox', image: 'busybox' }],
    ['docker run --rm busybox:1.36 echo hello', { name: 'busybox', image: 'busybox:1.36', keepContainer: false, command: ['echo', 'hello'] }],
    ['podman run -it --rm alpine sh', { name: 'alpine', image: 'alpine', tty: true, keepContainer: false, command: ['sh'] }],
    ['docker container run --name=nightly ghcr.io/acme/etl:2.1', { name: 'nightly', image: 'ghcr.io/acme/etl:2.1' }],
    ['sudo docker run --name nightly busybox', { name: 'nightly', image: 'busybox' }],
    [
      `docker run -e A=1 --env B="two words" --env=C=x=y -eD=4 busybox`,
      { env: [{ name: 'A', value: '1', secret: false }, { name: 'B', value: 'two words', secret: false }, { name: 'C', value: 'x=y', secret: false }, { name: 'D', value: '4', secret: false }] },
    ],
    ['docker run -e A=1 -e A=2 busybox', { env: [{ name: 'A', value: '2', secret: false }] }],
    ['docker run -w /work -u 1000:1000 --entrypoint /bin/sh busybox -c "echo $HOME"', { workingDir: '/work', user: '1000:1000', entrypoint: ['/bin/sh'], command: ['-c', 'echo $HOME'] }],
    [`docker run busybox sh -c 'echo "it''s" | tr a-z A-Z'`, { command: ['sh', '-c', 'echo "its" | tr a-z A-Z'] }],
    ['docker run --network=none -m 512m --cpus=1.5 busybox', { network: 'none', limits: { memory: '512m', cpus: '1.5' } }],
    ['docker run --net host --memory=1g busybox', { network: 'host', limits: { memory: '1g' } }],
    ['docker run -l team=data --label tier=batch -l flag busybox', { labels: { team: 'data', tier: 'batch', flag: '' } }],
    ['docker run --pull=never busybox', { pullPolicy: 'Never' }],
    ['docker run --pull always busybox', { pullPolicy: 'Always' }],
    ['docker run --pull missing busybox', { pullPolicy: 'IfNotPresent' }],
    ['docker run --restart on-failure:5 busybox', { retry: { limit: 5 } }],
    [
      'docker run -v /srv/data:/data:ro --volume=/tmp:/scratch --mount type=bind,source=/etc/app,target=/config,readonly busybox',
      {
        mounts: [
          { hostPath: '/srv/data', containerPath: '/data', readOnly: true },
          { hostPath: '/tmp', containerPath: '/scratch', readOnly: false },
          { hostPath: '/etc/app', containerPath: '/config', readOnly: true },
        ],
      },
    ],
    ['docker run -- busybox -la', { image: 'busybox', command: ['-la'] }],
    ['docker run --rm busybox ls -la --color=never /', { command: ['ls', '-la', '--color=never', '/'] }],
    ['docker run \\\n  --rm \\\n  -e A=1 \\\n  busybox \\\n  echo hi', { keepContainer: false, env: [{ name: 'A', value: '1', secret: false }], command: ['echo', 'hi'] }],
    ['docker run --rm -t busybox echo hi # say hi', { tty: true, command: ['echo', 'hi'] }],
    ['docker run busybox@sha256:' + 'a'.repeat(64), { name: 'busybox' }],
  ])('%s', (line, expected) => {
    expect(spec(line)).toMatchObject(expected);
  });

  it('gives a template the editor would accept', () => {
    const s = spec('docker run --name etl -e A=1 -v /srv:/srv -m 256m --cpus 0.5 -w /work busybox:1.36 sh -c "echo hi"');
    expect(TemplateSpecChecked.safeParse(s).success).toBe(true);
  });

  it('keeps variables and globs as written instead of expanding them', () => {
    expect(spec('docker run -e HOME_DIR=$HOME busybox ls *.txt')).toMatchObject({ env: [{ name: 'HOME_DIR', value: '$HOME' }], command: ['ls', '*.txt'] });
  });
});

describe('parseDockerRun: warnings for what Jobdeck cannot honour', () => {
  it.each([
    ['docker run -p 8080:80 nginx', /-p 8080:80 is not supported/],
    ['docker run --publish=8080:80 nginx', /--publish 8080:80 is not supported/],
    ['docker run --privileged busybox', /--privileged is not supported/],
    ['docker run --gpus all busybox', /--gpus all is not supported/],
    ['docker run --frobnicate busybox', /--frobnicate is not a docker run flag Jobdeck knows/],
    ['docker run -Z busybox', /-Z is not a docker run flag/],
    ['docker run -v data:/data busybox', /named volume "data" is not supported/],
    ['docker run -v /data busybox', /anonymous volume/],
    ['docker run --mount type=volume,source=v,target=/v busybox', /volume mounts are not supported/],
    ['docker run --network mynet busybox', /none, bridge or host/],
    ['docker run -it busybox', /-i \(keep stdin open\) is ignored/],
    ['docker run -e FROM_SHELL busybox', /FROM_SHELL takes its value from your shell/],
    ['docker run --restart always busybox', /--restart always/],
    ['docker run busybox echo a && echo b', /goes on after "&&"/],
    ['docker --context remote run busybox', /--context \(an option of docker itself\) is ignored/],
  ])('%s', (line, warning) => {
    const r = parseDockerRun(line);
    expect(r.errors).toEqual([]);
    expect(r.warnings.join('\n')).toMatch(warning);
  });

  it('an unknown switch does not swallow the image', () => {
    expect(spec('docker run --frobnicate busybox echo hi')).toMatchObject({ image: 'busybox', command: ['echo', 'hi'] });
  });

  it('a plain line has no warnings', () => {
    expect(parseDockerRun('docker run --rm -d -e A=1 busybox echo hi').warnings).toEqual([]);
  });

  it('the line after a shell operator is not read', () => {
    expect(spec('docker run busybox echo a | tee x')).toMatchObject({ command: ['echo', 'a'] });
  });
});

describe('parseDockerRun: errors in the user\'s terms', () => {
  it.each([
    ['ls -la', /starts with docker run or podman run/],
    ['docker ps -a', /this is docker ps, not docker run/],
    ['docker run --rm', /no image/],
    ['docker run -e', /-e needs a value/],
    ['docker run --name', /--name needs a value/],
    ['', /starts with docker run/],
  ])('%s', (line, error) => {
    const r = parseDockerRun(line);
    expect(r.spec).toBeUndefined();
    expect(r.errors.join('\n')).toMatch(error);
  });
});

describe('env files', () => {
  it('reads NAME=VALUE lines, skips comments, names what it leaves out', () => {
    const r = parseEnvFile('# db\nDB_HOST=db\n\n  DB_PASSWORD=s3cr=t\nFROM_SHELL\n9BAD=x\n', 'prod.env');
    expect(r.env).toEqual([
      { name: 'DB_HOST', value: 'db', secret: false },
      { name: 'DB_PASSWORD', value: 's3cr=t', secret: false },
      { name: 'FROM_SHELL', value: '', secret: false },
    ]);
    expect(r.warnings).toEqual([
      'prod.env line 5: FROM_SHELL takes its value from your shell: set it in the template',
      'prod.env line 6: "9BAD" is not a variable name: left out',
    ]);
  });

  it('-e wins over an env file, as in docker', () => {
    expect(mergeEnv([{ name: 'A', value: 'file', secret: false }, { name: 'B', value: 'b', secret: false }], [{ name: 'A', value: 'flag', secret: false }])).toEqual([
      { name: 'B', value: 'b', secret: false },
      { name: 'A', value: 'flag', secret: false },
    ]);
  });

  it('lists --env-file paths in order', () => {
    expect(parseDockerRun('docker run --env-file ./a.env --env-file=/etc/b.env busybox').envFiles).toEqual(['./a.env', '/etc/b.env']);
  });
});

it('names a template after its image', () => {
  expect(nameFromImage('registry:5000/team/tool:1.2')).toBe('tool');
});
