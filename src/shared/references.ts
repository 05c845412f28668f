// Values the engines would refuse later (or that would do harm), refused when the user types them,
// with the reason. The image grammar is the one Docker and Podman parse (distribution/reference).

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:localhost|(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*)(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const NAME_MAX = 255;

const FORM = 'expected [registry[:port]/]name[:tag][@digest], such as busybox:1.36 or localhost:5000/team/tool';

/** Why an image reference would be refused by the engines, or undefined when it is well formed. */
export function imageReferenceProblem(ref: string): string | undefined {
  if (!ref) return 'Image is required';
  if (/\s/.test(ref)) return 'Image must not contain spaces';
  let rest = ref;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const digest = rest.slice(at + 1);
    if (!DIGEST.test(digest)) return `Image digest "${digest}" is not a digest: expected @sha256: and 64 hex digits`;
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    const tag = rest.slice(colon + 1);
    if (!tag) return 'Image has a ":" with no tag after it: write a tag (busybox:1.36) or leave the colon out';
    if (!TAG.test(tag)) return `Image tag "${tag}" is not valid: letters, digits, _ . and -, at most 128, not starting with . or -`;
    rest = rest.slice(0, colon);
  }
  if (!rest) return `Image has no name: ${FORM}`;
  if (rest.length > NAME_MAX) return `Image name is longer than ${NAME_MAX} characters`;
  const parts = rest.split('/');
  // As the engines read it: the first part is a registry when it has a dot or a port, or is localhost.
  const first = parts[0]!;
  const hasRegistry = parts.length > 1 && (/[.:]/.test(first) || first === 'localhost');
  if (hasRegistry && !DOMAIN.test(first)) return `Image registry "${first}" is not a host name or host:port`;
  const path = hasRegistry ? parts.slice(1) : parts;
  for (const p of path) {
    if (!p) return `Image name has an empty part ("//" or a "/" at an end): ${FORM}`;
    if (p !== p.toLowerCase() && PATH_COMPONENT.test(p.toLowerCase())) {
      return `Image repository names must be lowercase: ${[...(hasRegistry ? [first] : []), ...path.map((x) => x.toLowerCase())].join('/')}, not ${rest}`;
    }
    if (!PATH_COMPONENT.test(p)) return `Image name part "${p}" is not valid: lowercase letters and digits, joined by . _ __ or -`;
  }
  return undefined;
}

/** Places whose files are the kernel's or the whole container's, never a job's output. */
const SYSTEM_DIRS: Record<string, string> = {
  '/proc': 'the kernel\'s process files',
  '/sys': 'the kernel\'s device and driver files',
  '/dev': 'device files',
};

/** Why a container directory cannot be collected as artifacts, or undefined. */
export function outputDirProblem(dir: string): string | undefined {
  const norm = `/${dir.split('/').filter((p) => p && p !== '.').join('/')}`;
  if (norm === '/') return 'Artifacts dir cannot be / (that would copy the whole container): use a directory such as /out';
  for (const [sys, what] of Object.entries(SYSTEM_DIRS)) {
    if (norm === sys || norm.startsWith(`${sys}/`)) return `Artifacts dir cannot be in ${sys} (${what}): use a directory such as /out`;
  }
  return undefined;
}
