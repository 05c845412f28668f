// Kubernetes contexts as engines: each context of the kubeconfig is an engine `kubernetes:<context>`
// whose driver probes the API server (/version), runs attempts as Jobs (KubernetesExecutor) and
// answers reconcile's container calls with the Jobs carrying Jobdeck's labels.
import { BatchV1Api, CoreV1Api, Log, VersionApi, Watch, type V1Job } from '@kubernetes/client-node';
import type Docker from 'dockerode';
import { kubernetesEngineId } from '../../../shared/engine';
import type { Settings } from '../../../shared/settings';
import type { EngineCandidate } from '../engines/discovery';
import type { ContainerApi, EngineDriver } from '../engines/registry';
import { clusterProblem, kubeMessage } from './errors';
import { KubernetesExecutor, type KubernetesExecutorOptions } from './executor';
import { configFor, readKubeconfig, watchKubeconfig, type KubeconfigInput, type KubeconfigRead } from './kubeconfig';

/** The engineId that means "the chosen Kubernetes context" (settings.kubernetes.context, else the kubeconfig's current-context). */
export const KUBERNETES_CHOSEN = 'kubernetes';

/**
 * The kubeconfig's contexts as engine candidates, read afresh at each call (the registry's
 * refresh); a namespace chosen in Jobdeck's settings wins over the context's own.
 */
export function kubernetesCandidates(read: KubeconfigRead, namespaces: Readonly<Record<string, string>> = {}): EngineCandidate[] {
  return read.contexts.map((c) => {
    const chosen = namespaces[c.name];
    return {
      id: kubernetesEngineId(c.name),
      kind: 'kubernetes',
      host: c.server,
      source: 'kubeconfig',
      kubernetes: {
        context: c.name,
        namespace: chosen ?? c.namespace,
        cluster: c.cluster,
        ...(chosen && chosen !== c.namespace ? { kubeconfigNamespace: c.namespace } : {}),
        ...(c.name === read.currentContext ? { current: true } : {}),
      },
    };
  });
}

/** Reads the kubeconfig once per refresh and keeps what was read for the drivers made from it. */
export class KubeconfigSource {
  private last: KubeconfigRead | undefined;
  constructor(
    private readonly input: KubeconfigInput,
    private readonly namespaces: () => Readonly<Record<string, string>> | undefined = () => undefined,
  ) {}

  candidates(): EngineCandidate[] {
    this.last = readKubeconfig(this.input);
    return kubernetesCandidates(this.last, this.namespaces());
  }

  read(): KubeconfigRead {
    return (this.last ??= readKubeconfig(this.input));
  }
}

export function kubernetesEngine(candidate: EngineCandidate, read: KubeconfigRead, options: KubernetesExecutorOptions = {}): EngineDriver {
  const target = candidate.kubernetes;
  if (!target) throw new Error(`engine ${candidate.id} is not a Kubernetes context`);
  const kc = configFor(read, target.context);
  const clients = {
    batch: kc.makeApiClient(BatchV1Api),
    core: kc.makeApiClient(CoreV1Api),
    watch: new Watch(kc),
    log: new Log(kc),
    namespace: target.namespace,
  };
  const version = kc.makeApiClient(VersionApi);
  const executor = new KubernetesExecutor(candidate.id, clients, options);
  return {
    executor,
    docker: jobsAsContainers(clients.batch, target.namespace),
    async probe() {
      try {
        const v = await version.getCode();
        return { version: v.gitVersion };
      } catch (error) {
        throw new Error(`context ${target.context}: ${kubeMessage(error)}`, { cause: error });
      }
    },
    detectKind: () => Promise.resolve('docker'),
    // What the card and a waiting job say: the engine id already names the context.
    describeError: (error) => clusterProblem(error, candidate.host),
  };
}

/**
 * Reconcile's view of a cluster: each Job with Jobdeck's labels as one "container" (its id the Job's
 * name, what the attempt records as containerId); remove deletes it with propagationPolicy
 * Background. Start is a no-op: a Job runs once it exists.
 */
function jobsAsContainers(batch: BatchV1Api, namespace: string): ContainerApi {
  return {
    async listContainers(options) {
      const list = await batch.listNamespacedJob({ namespace, labelSelector: options.filters.label.join(',') });
      return list.items.map((j) => containerInfo(j));
    },
    getContainer(id) {
      return {
        start: () => Promise.resolve(),
        remove: () => batch.deleteNamespacedJob({ name: id, namespace, propagationPolicy: 'Background' }),
      };
    },
  };
}

function containerInfo(job: V1Job): Docker.ContainerInfo {
  const done = job.status?.conditions?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  const name = job.metadata?.name ?? '';
  return {
    Id: name,
    Names: [`/${name}`],
    Image: job.spec?.template.spec?.containers[0]?.image ?? '',
    ImageID: '',
    Command: '',
    Created: Math.floor(new Date(job.metadata?.creationTimestamp ?? Date.now()).getTime() / 1000),
    Ports: [],
    Labels: job.metadata?.labels ?? {},
    State: done ? 'exited' : 'running',
    Status: done ? 'Exited' : 'Up',
    HostConfig: { NetworkMode: '' },
    NetworkSettings: { Networks: {} },
    Mounts: [],
  };
}

export interface KubernetesEnginesOptions extends KubernetesExecutorOptions {
  /** Where KUBECONFIG is read (default process.env) and the home for ~/.kube/config. */
  env?: Record<string, string | undefined>;
  home?: string;
  /** The namespaces chosen in settings, per context (settings.kubernetes.namespaces), read at each refresh. */
  namespaces?: () => Readonly<Record<string, string>> | undefined;
}

/** What the composition root wires: the contexts as a registry source, their drivers, and a watch of the files. */
export function kubernetesEngines(options: KubernetesEnginesOptions) {
  const env = options.env ?? process.env;
  // The home is the environment's: a core given an environment without one (tests) reads no ~/.kube/config.
  const input: KubeconfigInput = { env, home: options.home ?? env.HOME ?? env.USERPROFILE ?? null };
  const source = new KubeconfigSource(input, options.namespaces);
  return {
    candidates: () => source.candidates(),
    driver: (candidate: EngineCandidate) => kubernetesEngine(candidate, source.read(), options),
    watch: (changed: () => void) => watchKubeconfig(input, changed),
    /** Jobdeck's chosen context (settings), else the kubeconfig's current-context: what engineId 'kubernetes' runs on. */
    chosenContext: (settings: Pick<Settings, 'kubernetes'>): string | undefined => settings.kubernetes?.context ?? source.read().currentContext,
  };
}
