// The one test image every tier runs (integration, e2e, benches): a busybox root file system
// made here from Debian's busybox-static, so no registry is needed. One list of applets, so
// whichever tier makes the image first makes it whole.
export const TEST_IMAGE = 'jobdeck-test:latest';
export const BUSYBOX = '/bin/busybox';
export const APPLETS = ['sh', 'echo', 'cat', 'sleep', 'true', 'false', 'printf', 'seq', 'head', 'tail', 'dd', 'env', 'id', 'ls', 'mkdir', 'touch', 'tr', 'wc', 'yes', 'test', '['];
/** The containers.conf with lowered ulimits that scripts/engines.sh writes for Podman. */
export const PODMAN_CONF = process.env.CONTAINERS_CONF ?? '/tmp/jobdeck-engines/containers.conf';
